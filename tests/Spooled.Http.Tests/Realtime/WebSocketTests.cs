using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Spooled.Http.Tests.Support;
using Spooled.Http.Tests.Tenancy;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Realtime;

/// <summary>
/// <c>GET /api/v1/ws</c> against the real server over loopback, with <see cref="ClientWebSocket"/>.
/// Every receive has a timeout, so a missing frame fails the test instead of hanging it.
/// </summary>
public sealed class WebSocketTests(DefaultServerFixture fixture) : IClassFixture<DefaultServerFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Connect_WithQueryToken_SendsPingFirst()
    {
        var (_, key) = await RegisterAsync(Server);
        var token = await AccessTokenAsync(Server, key);
        using var socket = await ConnectAsync(Server, "token=" + Uri.EscapeDataString(token));

        var ping = await ReceiveAsync(socket);
        Assert.Equal("Ping", ping.GetProperty("type").GetString());
        AssertTimestamp(ping.GetProperty("data").GetProperty("timestamp"));
        await CloseAsync(socket);
    }

    [Fact]
    public async Task Connect_WithApiKeyHeaders_Works()
    {
        var (_, key) = await RegisterAsync(Server);
        using (var bearer = await ConnectAsync(Server, bearer: key))
        {
            Assert.Equal("Ping", (await ReceiveAsync(bearer)).GetProperty("type").GetString());
            await CloseAsync(bearer);
        }

        using var header = await ConnectAsync(Server, headers: ("X-API-Key", key));
        Assert.Equal("Ping", (await ReceiveAsync(header)).GetProperty("type").GetString());
        await CloseAsync(header);
    }

    [Fact]
    public async Task Connect_WithoutCredential_Is401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedAsync(Server));

        using var client = Server.Client();
        await ExpectErrorAsync(await client.GetAsync("/api/v1/ws"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Connect_WithQueryApiKeyOrRefreshToken_Is401_AndRestIgnoresQueryTokens()
    {
        var (_, key) = await RegisterAsync(Server);
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedAsync(Server, "token=" + key));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedAsync(Server, "api_key=" + key));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedAsync(Server, "token=eyJnot.a.token"));

        using var client = Server.Client();
        var login = await ExpectAsync(await client.PostAsync("/api/v1/auth/login", Body($$"""{"api_key":"{{key}}"}""")), HttpStatusCode.OK);
        var refresh = login.GetProperty("refresh_token").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedAsync(Server, "token=" + refresh));

        // The query token is read on the WebSocket route only.
        var access = login.GetProperty("access_token").GetString()!;
        await ExpectErrorAsync(await client.GetAsync("/api/v1/jobs/stats?token=" + access), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        using var plain = await client.GetAsync("/api/v1/ws?token=" + access);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode); // Authenticated, but not an upgrade.
    }

    [Fact]
    public async Task Get_WithoutUpgrade_Is400()
    {
        var (_, key) = await RegisterAsync(Server);
        using var client = Server.Client(key);
        await ExpectErrorAsync(await client.GetAsync("/api/v1/ws"), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task Connect_WithInvalidFilter_Is400()
    {
        var (_, key) = await RegisterAsync(Server);
        Assert.Equal(HttpStatusCode.BadRequest, await RefusedAsync(Server, "queue=" + Uri.EscapeDataString("not a queue!"), bearer: key));
        Assert.Equal(HttpStatusCode.BadRequest, await RefusedAsync(Server, "events=job.exploded", bearer: key));
        Assert.Equal(HttpStatusCode.BadRequest, await RefusedAsync(Server, "job_id=42", bearer: key));
    }

    [Fact]
    public async Task Connect_FromForeignOrigin_Is403_AndOwnOriginIsAllowed()
    {
        var (_, key) = await RegisterAsync(Server);
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(Server, bearer: key, origin: "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(Server, bearer: key, origin: "null"));

        var own = Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        using var socket = await ConnectAsync(Server, bearer: key, origin: own);
        Assert.Equal("Ping", (await ReceiveAsync(socket)).GetProperty("type").GetString());
        await CloseAsync(socket);
    }

    [Fact]
    public async Task Connect_FromConfiguredOrigin_IsAllowed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Realtime:AllowedOrigins"] = "https://app.example, https://other.example:8443" });
        var (_, key) = await RegisterAsync(server);
        using (var socket = await ConnectAsync(server, bearer: key, origin: "https://app.example"))
        {
            Assert.Equal("Ping", (await ReceiveAsync(socket)).GetProperty("type").GetString());
            await CloseAsync(socket);
        }

        using (var socket = await ConnectAsync(server, bearer: key, origin: "https://other.example:8443"))
        {
            Assert.Equal("Ping", (await ReceiveAsync(socket)).GetProperty("type").GetString());
            await CloseAsync(socket);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(server, bearer: key, origin: "https://other.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(server, bearer: key, origin: "https://evil.example"));
    }

    [Fact]
    public async Task EnqueuedJob_ArrivesAsJobCreatedAndStatusChange_InTheEnvelope()
    {
        var (_, key) = await RegisterAsync(Server);
        using var socket = await ConnectAsync(Server, bearer: key);
        await ExpectPingAsync(socket);

        using var client = Server.Client(key);
        var jobId = await EnqueueAsync(client, "emails");

        var seen = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        while (seen.Count < 2)
        {
            var message = await ReceiveJobEventAsync(socket);
            Assert.Equal(jobId, message.GetProperty("job_id").GetString());
            seen[message.GetProperty("type").GetString()!] = message;
        }

        var created = seen["JobCreated"];
        Assert.Equal("emails", created.GetProperty("queue_name").GetString());
        var data = created.GetProperty("data");
        Assert.Equal(jobId, data.GetProperty("job_id").GetString());
        Assert.Equal("emails", data.GetProperty("queue_name").GetString());
        Assert.Equal(0, data.GetProperty("priority").GetInt32());
        AssertTimestamp(data.GetProperty("timestamp"));

        var status = seen["JobStatusChange"];
        Assert.Equal("emails", status.GetProperty("queue_name").GetString());
        Assert.Equal("", status.GetProperty("data").GetProperty("old_status").GetString());
        Assert.Equal("pending", status.GetProperty("data").GetProperty("new_status").GetString());
        AssertTimestamp(status.GetProperty("data").GetProperty("timestamp"));
        await CloseAsync(socket);
    }

    [Fact]
    public async Task QueryFilter_ByQueue_DropsOtherQueues()
    {
        var (_, key) = await RegisterAsync(Server);
        using var socket = await ConnectAsync(Server, "queue=wanted&events=job.created", bearer: key);
        await ExpectPingAsync(socket);

        using var client = Server.Client(key);
        await EnqueueAsync(client, "other");
        var wanted = await EnqueueAsync(client, "wanted");

        var first = await ReceiveJobEventAsync(socket);
        Assert.Equal(wanted, first.GetProperty("job_id").GetString());
        Assert.Equal("JobCreated", first.GetProperty("type").GetString());
        await CloseAsync(socket);
    }

    [Fact]
    public async Task SubscribeCommand_ByQueue_DropsOtherQueues_AndUnsubscribeRemovesIt()
    {
        var (_, key) = await RegisterAsync(Server);
        using var socket = await ConnectAsync(Server, bearer: key);
        await ExpectPingAsync(socket);

        // Node's PascalCase; the ping after it proves the command was applied (commands run in order).
        await SendAsync(socket, """{"cmd":"Subscribe","queue":"alpha"}""");
        await SendAsync(socket, """{"cmd":"ping"}""");
        await ExpectPingAsync(socket);

        using var client = Server.Client(key);
        await EnqueueAsync(client, "beta");
        var alpha = await EnqueueAsync(client, "alpha");
        var first = await ReceiveJobEventAsync(socket);
        Assert.Equal(alpha, first.GetProperty("job_id").GetString());
        Assert.Equal(alpha, (await ReceiveJobEventAsync(socket)).GetProperty("job_id").GetString());

        // Python's lower case, then upper case: alpha out, beta in.
        await SendAsync(socket, """{"cmd":"unsubscribe","queue":"alpha"}""");
        await SendAsync(socket, """{"cmd":"SUBSCRIBE","queue":"beta"}""");
        await SendAsync(socket, """{"cmd":"Ping"}""");
        await ExpectPingAsync(socket);

        await EnqueueAsync(client, "alpha");
        var beta = await EnqueueAsync(client, "beta");
        Assert.Equal(beta, (await ReceiveJobEventAsync(socket)).GetProperty("job_id").GetString());
        await CloseAsync(socket);
    }

    [Fact]
    public async Task GoStyleSubscribe_IsAcknowledgedWithItsRequestId_AndAppliesItsFilter()
    {
        var (_, key) = await RegisterAsync(Server);
        using var socket = await ConnectAsync(Server, bearer: key);
        await ExpectPingAsync(socket);

        await SendAsync(socket, """{"type":"subscribe","request_id":"sub-1","filter":{"queue_name":"gamma","events":["job.created"]}}""");
        var ack = await ReceiveAsync(socket);
        Assert.Equal("subscribed", ack.GetProperty("type").GetString());
        Assert.Equal("sub-1", ack.GetProperty("request_id").GetString());

        using var client = Server.Client(key);
        await EnqueueAsync(client, "delta");
        var first = await EnqueueAsync(client, "gamma");
        var second = await EnqueueAsync(client, "gamma");

        // Only JobCreated passes the filter's event types: no status change comes between the two.
        var one = await ReceiveJobEventAsync(socket);
        var two = await ReceiveJobEventAsync(socket);
        Assert.Equal(("JobCreated", first), (one.GetProperty("type").GetString(), one.GetProperty("job_id").GetString()));
        Assert.Equal(("JobCreated", second), (two.GetProperty("type").GetString(), two.GetProperty("job_id").GetString()));

        await SendAsync(socket, """{"type":"unsubscribe","request_id":"unsub-2","filter":{"queue_name":"gamma"}}""");
        var unsubscribed = await ReceiveAsync(socket);
        Assert.Equal("unsubscribed", unsubscribed.GetProperty("type").GetString());
        Assert.Equal("unsub-2", unsubscribed.GetProperty("request_id").GetString());

        await SendAsync(socket, """{"type":"subscribe","request_id":"sub-3","filter":{"job_id":"not-a-uuid"}}""");
        var refused = await ReceiveAsync(socket);
        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("sub-3", refused.GetProperty("request_id").GetString());
        Assert.Contains("job_id", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
        await CloseAsync(socket);
    }

    [Fact]
    public async Task PingEvent_IsSentEvery30Seconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(time: time);
        var (_, key) = await RegisterAsync(server);
        using var socket = await ConnectAsync(server, bearer: key);
        await ExpectPingAsync(socket);
        var connected = time.GetUtcNow();

        // Nothing before the interval has passed.
        var next = ReceiveAsync(socket);
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50);
        Assert.False(next.IsCompleted);

        // The send loop may arm its timer a moment after the first ping: step until it fires.
        var deadline = DateTime.UtcNow + s_timeout;
        while (!next.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(next, Task.Delay(20));
        }

        var ping = await next;
        Assert.Equal("Ping", ping.GetProperty("type").GetString());
        Assert.True(ping.GetProperty("data").GetProperty("timestamp").GetDateTimeOffset() >= connected.AddSeconds(30), ping.ToString());
        await CloseAsync(socket);
    }

    [Fact]
    public async Task PingCommand_IsAnswered()
    {
        var (_, key) = await RegisterAsync(Server);
        using var socket = await ConnectAsync(Server, bearer: key);
        await ExpectPingAsync(socket);

        await SendAsync(socket, """{"cmd":"ping"}""");
        await ExpectPingAsync(socket);
        await SendAsync(socket, """{"type":"ping"}""");
        await ExpectPingAsync(socket);
        await CloseAsync(socket);
    }

    [Fact]
    public async Task MalformedCommands_GetErrorEvents_AndTheConnectionStaysOpen()
    {
        var (_, key) = await RegisterAsync(Server);
        using var socket = await ConnectAsync(Server, bearer: key);
        await ExpectPingAsync(socket);

        await SendAsync(socket, "this is not json");
        Assert.Contains("Malformed", await ExpectErrorEventAsync(socket), StringComparison.Ordinal);
        await SendAsync(socket, """{"cmd":"dance"}""");
        Assert.Contains("dance", await ExpectErrorEventAsync(socket), StringComparison.Ordinal);
        await SendAsync(socket, """["subscribe"]""");
        Assert.Contains("JSON object", await ExpectErrorEventAsync(socket), StringComparison.Ordinal);
        await SendAsync(socket, """{"cmd":"subscribe","queue":"bad queue!"}""");
        Assert.Contains("queue", await ExpectErrorEventAsync(socket), StringComparison.Ordinal);
        using (var timeout = new CancellationTokenSource(s_timeout))
        {
            await socket.SendAsync("""{"cmd":"ping"}"""u8.ToArray(), WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
        }

        Assert.Contains("Binary", await ExpectErrorEventAsync(socket), StringComparison.Ordinal);

        await SendAsync(socket, """{"cmd":"ping"}""");
        await ExpectPingAsync(socket);
        Assert.Equal(WebSocketState.Open, socket.State);
        await CloseAsync(socket);
    }

    [Fact]
    public async Task MessageLargerThan64KiB_ClosesWithMessageTooBig()
    {
        var (_, key) = await RegisterAsync(Server);
        using var socket = await ConnectAsync(Server, bearer: key);
        await ExpectPingAsync(socket);

        var big = Encoding.UTF8.GetBytes("""{"cmd":"ping","pad":" """ + new string('x', 70 * 1024) + "\"}");
        using (var timeout = new CancellationTokenSource(s_timeout))
        {
            await socket.SendAsync(big, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }

        Assert.Null(await ReceiveOrCloseAsync(socket));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
    }

    [Fact]
    public async Task OtherTenantsEvents_NeverArrive()
    {
        var (_, mine) = await RegisterAsync(Server);
        var (_, theirs) = await RegisterAsync(Server);
        using var socket = await ConnectAsync(Server, bearer: mine);
        await ExpectPingAsync(socket);

        // Their change happens first: if it leaked, it would be the first job event received.
        using var theirClient = Server.Client(theirs);
        var theirJob = await EnqueueAsync(theirClient, "emails");
        using var myClient = Server.Client(mine);
        var myJob = await EnqueueAsync(myClient, "emails");

        var first = await ReceiveJobEventAsync(socket);
        Assert.Equal(myJob, first.GetProperty("job_id").GetString());
        Assert.NotEqual(theirJob, first.GetProperty("job_id").GetString());
        await CloseAsync(socket);
    }

    [Fact]
    public async Task ClientClose_CompletesHandshake_AndReleasesTheSubscription()
    {
        var (orgId, key) = await RegisterAsync(Server);
        using var socket = await ConnectAsync(Server, bearer: key);
        await ExpectPingAsync(socket);
        Assert.True(Server.Broker.Events.HasSubscribersFor(orgId));

        using (var timeout = new CancellationTokenSource(s_timeout))
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }

        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        await WaitUntilAsync(() => !Server.Broker.Events.HasSubscribersFor(orgId));
    }

    [Fact]
    public async Task StreamLimit_RefusesOneMoreWith429_UntilASocketCloses()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Realtime:MaxStreamsPerKey"] = "1" });
        var (_, key) = await RegisterAsync(server);
        using var first = await ConnectAsync(server, bearer: key);
        await ExpectPingAsync(first);

        Assert.Equal(HttpStatusCode.TooManyRequests, await RefusedAsync(server, bearer: key));

        await CloseAsync(first);
        var deadline = DateTime.UtcNow + s_timeout;
        while (true)
        {
            try
            {
                using var again = await ConnectAsync(server, bearer: key);
                await ExpectPingAsync(again);
                await CloseAsync(again);
                break;
            }
            catch (WebSocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20); // The server releases the lease just after the handshake ends.
            }
        }
    }

    [Fact]
    public async Task SlowReader_IsCutOff_WithAnErrorEventAndAClose()
    {
        const int Buffer = 16;
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Realtime:StreamBufferEvents"] = Buffer.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var (_, key) = await RegisterAsync(server);
        using var socket = await ConnectAsync(server, bearer: key);
        await ExpectPingAsync(socket);

        // Not reading: 300 jobs make 600 events, published a bulk (200 events) at a time.
        using var client = server.Client(key);
        var items = string.Join(',', Enumerable.Repeat("""{"payload":{"n":1}}""", 100));
        for (var i = 0; i < 3; i++)
        {
            await ExpectAsync(await client.PostAsync("/api/v1/jobs/bulk", Body($$"""{"queue_name":"slow","jobs":[{{items}}]}""")), HttpStatusCode.OK);
        }

        var jobEvents = 0;
        string? error = null;
        while (await ReceiveOrCloseAsync(socket) is { } message)
        {
            switch (message.GetProperty("type").GetString())
            {
                case "Error":
                    Assert.Null(error);
                    error = message.GetProperty("data").GetProperty("message").GetString();
                    break;
                case "Ping":
                    break;
                default:
                    Assert.Null(error); // Nothing after the error but the close.
                    jobEvents++;
                    break;
            }
        }

        Assert.NotNull(error);
        Assert.Contains("behind", error, StringComparison.Ordinal);
        // The buffer's worth, plus the few the send loop may take while the bulk is being published.
        Assert.InRange(jobEvents, 0, 2 * Buffer);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
    }

    [Fact]
    public async Task ServerStop_ClosesSocketsPromptly()
    {
        var server = await TestServer.StartAsync();
        var disposed = false;
        try
        {
            var (_, key) = await RegisterAsync(server);
            using var socket = await ConnectAsync(server, bearer: key);
            await ExpectPingAsync(socket);

            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            disposed = true;
            var stopping = server.DisposeAsync().AsTask();
            Assert.Null(await ReceiveOrCloseAsync(socket));
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
            await stopping.WaitAsync(s_timeout);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopwatch.Elapsed}");
        }
        finally
        {
            if (!disposed)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<string> AccessTokenAsync(TestServer server, string key)
    {
        using var client = server.Client();
        var login = await ExpectAsync(await client.PostAsync("/api/v1/auth/login", Body($$"""{"api_key":"{{key}}"}""")), HttpStatusCode.OK);
        return login.GetProperty("access_token").GetString()!;
    }

    private static Uri WebSocketUri(TestServer server, string? query) =>
        new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = "/api/v1/ws", Query = query ?? "" }.Uri;

    private static ClientWebSocket NewSocket(string? bearer, string? origin, (string Name, string Value)[] headers)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        return socket;
    }

    private static async Task<ClientWebSocket> ConnectAsync(TestServer server, string? query = null, string? bearer = null, string? origin = null, params (string Name, string Value)[] headers)
    {
        var socket = NewSocket(bearer, origin, headers);
        try
        {
            using var timeout = new CancellationTokenSource(s_timeout);
            await socket.ConnectAsync(WebSocketUri(server, query), timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The status of an upgrade the server refuses (the test fails if it accepts).</summary>
    private static async Task<HttpStatusCode> RefusedAsync(TestServer server, string? query = null, string? bearer = null, string? origin = null)
    {
        using var socket = NewSocket(bearer, origin, []);
        using var timeout = new CancellationTokenSource(s_timeout);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketUri(server, query), timeout.Token));
        return socket.HttpStatusCode;
    }

    private static async Task SendAsync(ClientWebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next message as JSON, or null when the server closed (the handshake is then completed).</summary>
    private static async Task<JsonElement?> ReceiveOrCloseAsync(ClientWebSocket socket)
    {
        var buffer = new byte[128 * 1024];
        var count = 0;
        using var timeout = new CancellationTokenSource(s_timeout);
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return null;
            }

            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            count += result.Count;
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(buffer.AsMemory(0, count));
                return document.RootElement.Clone();
            }
        }
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket) =>
        await ReceiveOrCloseAsync(socket) ?? throw new Xunit.Sdk.XunitException($"the server closed the socket ({socket.CloseStatus} {socket.CloseStatusDescription})");

    /// <summary>The next message that concerns a job (periodic pings are skipped).</summary>
    private static async Task<JsonElement> ReceiveJobEventAsync(ClientWebSocket socket)
    {
        while (true)
        {
            var message = await ReceiveAsync(socket);
            if (message.TryGetProperty("job_id", out _))
            {
                return message;
            }

            Assert.Equal("Ping", message.GetProperty("type").GetString());
        }
    }

    private static async Task ExpectPingAsync(ClientWebSocket socket)
    {
        var message = await ReceiveAsync(socket);
        Assert.Equal("Ping", message.GetProperty("type").GetString());
    }

    private static async Task<string> ExpectErrorEventAsync(ClientWebSocket socket)
    {
        var message = await ReceiveAsync(socket);
        Assert.Equal("Error", message.GetProperty("type").GetString());
        AssertTimestamp(message.GetProperty("data").GetProperty("timestamp"));
        return message.GetProperty("data").GetProperty("message").GetString()!;
    }

    /// <summary>Closes from the client side and checks the server answered the handshake.</summary>
    private static async Task CloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(10);
        }
    }
}

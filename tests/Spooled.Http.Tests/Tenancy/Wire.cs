using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Spooled.Http.Tests.Support;

namespace Spooled.Http.Tests.Tenancy;

/// <summary>Request and assertion helpers shared by the tenancy, auth and admin tests.</summary>
internal static class Wire
{
    public const string AdminKey = "admin-key-for-the-http-tests";

    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Sends a request with an optional JSON body and extra headers.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = Body(json);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The body as JSON after checking the status (the body is shown when it differs).</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if (text.Length == 0)
        {
            return default;
        }

        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>An error answer: the status and the body's <c>code</c>.</summary>
    public static async Task ExpectErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await ExpectAsync(response, status);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    /// <summary>Asserts the object has exactly these property names.</summary>
    public static void AssertFields(JsonElement value, params string[] expected)
    {
        Assert.Equal(JsonValueKind.Object, value.ValueKind);
        var actual = new List<string>();
        foreach (var property in value.EnumerateObject())
        {
            actual.Add(property.Name);
        }

        actual.Sort(StringComparer.Ordinal);
        var sorted = new List<string>(expected);
        sorted.Sort(StringComparer.Ordinal);
        Assert.Equal(sorted, actual);
    }

    /// <summary>An RFC 3339 UTC timestamp with the <c>Z</c> suffix.</summary>
    public static void AssertTimestamp(JsonElement value)
    {
        var text = value.GetString();
        Assert.NotNull(text);
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(text, out _), text);
    }

    /// <summary>Registers an organization through the public route; returns its id and first key.</summary>
    public static async Task<(string OrgId, string ApiKey)> RegisterAsync(TestServer server, string? slug = null)
    {
        using var client = server.Client();
        slug ??= "org-" + Guid.NewGuid().ToString("N")[..12];
        var body = await ExpectAsync(await client.PostAsync("/api/v1/organizations", Body($$"""{"name":"Org {{slug}}","slug":"{{slug}}"}""")), HttpStatusCode.Created);
        return (body.GetProperty("organization").GetProperty("id").GetString()!, body.GetProperty("api_key").GetProperty("key").GetString()!);
    }

    /// <summary>Enqueues a job; returns its id.</summary>
    public static async Task<string> EnqueueAsync(HttpClient client, string queue = "emails")
    {
        var created = await client.PostAsync("/api/v1/jobs", Body($$$"""{"queue_name":"{{{queue}}}","payload":{"n":1}}"""));
        return (await ExpectAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    /// <summary>Mints a key through the API with the given JSON body; returns the id and the raw key.</summary>
    public static async Task<(string Id, string Key)> CreateKeyAsync(HttpClient client, string json = """{"name":"extra key"}""")
    {
        var body = await ExpectAsync(await client.PostAsync("/api/v1/api-keys", Body(json)), HttpStatusCode.Created);
        return (body.GetProperty("id").GetString()!, body.GetProperty("key").GetString()!);
    }

    public static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path = "/api/v1/jobs/stats")
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    public static Task<JsonElement> GetJsonAsync(HttpClient client, string path) => client.GetFromJsonAsync<JsonElement>(path);
}

/// <summary>One server per test class, started before its first test and deleted after its last.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    internal TestServer Server { get; private set; } = null!;

    internal virtual Dictionary<string, string?>? Settings => null;

    internal virtual TimeProvider? Time => null;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(Settings, Time);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Open registration and an admin key.</summary>
public sealed class AdminServerFixture : ServerFixture
{
    internal override Dictionary<string, string?> Settings => new() { ["Auth:AdminApiKey"] = Wire.AdminKey };
}

/// <summary>The defaults: open registration, no admin key, no rate limit.</summary>
public sealed class DefaultServerFixture : ServerFixture;

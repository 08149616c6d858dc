using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Spooled.Broker.Events;
using Spooled.Http.Auth;
using Spooled.Http.Errors;

namespace Spooled.Http.Realtime;

/*
 * One live WebSocket (GET /api/v1/ws) after the upgrade. Policies:
 *
 * - Two loops. The receive loop is the only reader of the socket; it reads whole messages of at
 *   most MaxMessageBytes and turns commands into subscription changes and replies. The send loop is
 *   the only writer until it returns (frames are never sent concurrently); after it, RunAsync alone
 *   sends the close frame.
 * - Memory is bounded: broker events wait in the bus subscription's bounded queue
 *   (ServerOptions.StreamBufferEvents), replies in a small bounded channel whose writer, the receive
 *   loop, waits when it is full (so a client that sends commands without reading stops being read),
 *   and one pooled 64 KiB receive buffer.
 * - A client that falls further behind than the buffer is cut off: the events already queued go
 *   out, then an Error event, then a close with PolicyViolation. A send that makes no progress for
 *   SendTimeout aborts the socket (a client that stopped reading altogether).
 * - Close: whoever closes first, the other side's close frame is awaited for CloseTimeout, then the
 *   socket is aborted. The server stopping closes every socket with EndpointUnavailable (1001).
 */

/// <summary>
/// Relays one organization's broker events to a WebSocket client and serves its commands. Created
/// once the upgrade was accepted; subscribes to the bus at once, so that the first frame (a
/// <c>Ping</c>) tells the client its subscription is live. Run it once, then dispose it.
/// </summary>
internal sealed partial class WebSocketSession : IDisposable
{
    /// <summary>Largest client message read; a longer one closes the socket with MessageTooBig.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Replies (pings, acknowledgements, errors) that may wait for the send loop.</summary>
    private const int ReplyCapacity = 16;

    /// <summary>How often a <c>Ping</c> event goes out, as the reference server does.</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(30);

    /// <summary>A single frame that takes longer to send means the client stopped reading.</summary>
    private static readonly TimeSpan s_sendTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long the close handshake (and a send in flight at shutdown) may take.</summary>
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly Caller _caller;
    private readonly EventSubscription _subscription;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _serverStopping;

    /// <summary>Cancelled when the session winds down (client close, receive failure, server stop).</summary>
    private readonly CancellationTokenSource _stop;

    /// <summary>Times out the send in flight (see <see cref="SendAsync"/>).</summary>
    private readonly CancellationTokenSource _send = new();

    private readonly CancellationTokenRegistration _onStopping;

    /// <summary>Frames the receive loop wants sent; the send loop sends them before events.</summary>
    private readonly Channel<byte[]> _replies = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(ReplyCapacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>The active filters; replaced whole by the receive loop, read by the bus and the send loop.</summary>
    private WebSocketSubscriptions _filters;

    /// <summary>A close the receive loop asked for (message too big); read after <see cref="_stop"/> is cancelled.</summary>
    private (WebSocketCloseStatus Status, string Reason)? _closeRequest;

    public WebSocketSession(WebSocket socket, Caller caller, EventBus bus, EventFilter filter, int capacity, TimeProvider time, ILogger logger, CancellationToken serverStopping)
    {
        _socket = socket;
        _caller = caller;
        _capacity = capacity;
        _time = time;
        _logger = logger;
        _serverStopping = serverStopping;
        _filters = WebSocketSubscriptions.Initial(caller, filter);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        _subscription = bus.Subscribe(caller.OrganizationId, e => Volatile.Read(ref _filters).Matches(e), capacity);

        // At shutdown a send in flight gets CloseTimeout to finish, not the full SendTimeout.
        _onStopping = serverStopping.Register(static state => ((CancellationTokenSource)state!).CancelAfter(s_closeTimeout), _send);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Runs the session until the socket is closed (by either side) or fails.</summary>
    public async Task RunAsync()
    {
        var receiving = ReceiveLoopAsync();
        (WebSocketCloseStatus Status, string Reason)? close = null;
        try
        {
            close = await SendLoopAsync();
        }
        catch (Exception error) when (IsConnectionError(error))
        {
            // The connection broke or a send timed out (the socket is aborted): nothing to close.
        }
        finally
        {
            _stop.Cancel();
            _subscription.Dispose();
            _replies.Writer.TryComplete();
        }

        await CloseAsync(close, receiving);
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _subscription.Dispose();
        _stop.Dispose();
        _send.Dispose();
    }

    /// <summary>
    /// The only writer: a Ping first, then replies and matching events in order, and a Ping every
    /// <see cref="PingInterval"/>. Returns the close to send, or null when the client closed first.
    /// </summary>
    private async Task<(WebSocketCloseStatus Status, string Reason)?> SendLoopAsync()
    {
        var events = _subscription.Reader;
        var replies = _replies.Reader;
        var stopped = Task.Delay(Timeout.Infinite, _stop.Token);

        // Waits are kept across turns until they complete: asking again each turn would pile up waiters.
        Task<bool>? eventReady = null;
        Task<bool>? replyReady = null;
        Task? pingDue = null;

        await SendAsync(EventEncoder.Ping(Now));
        while (!_stop.IsCancellationRequested)
        {
            if (replies.TryRead(out var reply))
            {
                await SendAsync(reply);
                continue;
            }

            if (events.TryRead(out var @event))
            {
                // Re-checked here: the filters may have changed since the bus queued the event.
                if (Volatile.Read(ref _filters).Matches(@event))
                {
                    await SendAsync(EventEncoder.Encode(@event));
                }

                continue;
            }

            if (events.Completion.IsCompleted)
            {
                if (_subscription.Overflowed)
                {
                    LogCutOff(_logger, _caller.OrganizationId, _capacity);
                    await SendAsync(EventEncoder.Error($"The client fell more than {_capacity} events behind and was disconnected; reconnect and read faster", Now));
                    return (WebSocketCloseStatus.PolicyViolation, "Client fell behind");
                }

                return (WebSocketCloseStatus.InternalServerError, "Event stream ended");
            }

            if (pingDue is { IsCompletedSuccessfully: true })
            {
                pingDue = null;
                await SendAsync(EventEncoder.Ping(Now));
                continue;
            }

            eventReady = eventReady is { IsCompleted: false } ? eventReady : events.WaitToReadAsync().AsTask();
            replyReady = replyReady is { IsCompleted: false } ? replyReady : replies.WaitToReadAsync().AsTask();
            pingDue ??= Task.Delay(PingInterval, _time, _stop.Token);
            await Task.WhenAny(eventReady, replyReady, pingDue, stopped);
        }

        return _serverStopping.IsCancellationRequested ? (WebSocketCloseStatus.EndpointUnavailable, "Server is shutting down") : _closeRequest;
    }

    /// <summary>Sends one text frame; one that makes no progress for the timeout aborts the socket.</summary>
    private async Task SendAsync(byte[] frame)
    {
        _send.CancelAfter(_serverStopping.IsCancellationRequested ? s_closeTimeout : s_sendTimeout);
        await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _send.Token);
        _send.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The only reader: whole messages, each a command. Ends when the client's close frame arrives
    /// or the connection fails; either way it stops the session.
    /// </summary>
    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
        try
        {
            while (true)
            {
                var count = 0;
                var tooBig = false;
                ValueWebSocketReceiveResult result;
                while (true)
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count, MaxMessageBytes - count), CancellationToken.None);
                    count += result.Count;
                    if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    if (count == MaxMessageBytes)
                    {
                        tooBig = true;
                        break;
                    }
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (tooBig)
                {
                    // The rest of the message is read (and dropped) below while the close goes out.
                    if (!_stop.IsCancellationRequested)
                    {
                        _closeRequest = (WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {MaxMessageBytes} bytes");
                        _stop.Cancel();
                    }

                    continue;
                }

                if (_stop.IsCancellationRequested)
                {
                    continue; // Closing: commands no longer matter.
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    await ReplyAsync(EventEncoder.Error("Binary messages are not supported: send commands as JSON text", Now));
                    continue;
                }

                await HandleAsync(buffer.AsMemory(0, count));
            }
        }
        catch (Exception error) when (IsConnectionError(error))
        {
            // The connection broke or the socket was aborted.
        }
        finally
        {
            _stop.Cancel();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> message)
    {
        if (!WebSocketCommand.TryParse(message, out var command, out var error, out var requestId))
        {
            await RefuseAsync(requestId, error);
            return;
        }

        if (command!.Kind == WebSocketCommandKind.Ping)
        {
            await ReplyAsync(EventEncoder.Ping(Now));
            return;
        }

        EventFilter filter;
        try
        {
            filter = EventFilter.Create(command.Queue, command.JobId, command.WorkerId, command.Events);
        }
        catch (ApiException refused)
        {
            await RefuseAsync(command.RequestId, refused.Details is [var first, ..] ? first.Message : refused.Message);
            return;
        }

        var current = Volatile.Read(ref _filters);
        if (command.Kind == WebSocketCommandKind.Subscribe)
        {
            if (filter.Queue is { } queue && !_caller.MayUse(queue))
            {
                await RefuseAsync(command.RequestId, $"This API key may not use queue '{queue}'");
                return;
            }

            if (current.Count >= WebSocketSubscriptions.MaxSubscriptions && !current.Has(filter))
            {
                await RefuseAsync(command.RequestId, $"A connection may hold at most {WebSocketSubscriptions.MaxSubscriptions} subscriptions");
                return;
            }

            Volatile.Write(ref _filters, current.With(filter));
        }
        else
        {
            Volatile.Write(ref _filters, current.Without(filter));
        }

        if (command.WantsAck)
        {
            await ReplyAsync(WebSocketReply.Ack(command.Kind, command.RequestId));
        }
    }

    /// <summary>A refused command: Go's error answer when it named a request, else an Error event.</summary>
    private Task RefuseAsync(string? requestId, string message) =>
        ReplyAsync(requestId is null ? EventEncoder.Error(message, Now) : WebSocketReply.CommandError(requestId, message));

    /// <summary>Queues a frame for the send loop, waiting while the reply queue is full.</summary>
    private async Task ReplyAsync(byte[] frame)
    {
        try
        {
            await _replies.Writer.WriteAsync(frame, _stop.Token);
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
            // Closing: the reply would not be sent anyway.
        }
    }

    /// <summary>Sends the close frame (or answers the client's) and waits briefly for the handshake to finish.</summary>
    private async Task CloseAsync((WebSocketCloseStatus Status, string Reason)? close, Task receiving)
    {
        try
        {
            using var timeout = new CancellationTokenSource(s_closeTimeout);
            if (_socket.State == WebSocketState.CloseReceived)
            {
                var echo = _socket.CloseStatus is { } status && status != WebSocketCloseStatus.Empty ? status : WebSocketCloseStatus.NormalClosure;
                await _socket.CloseOutputAsync(echo, null, timeout.Token);
            }
            else if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(close?.Status ?? WebSocketCloseStatus.NormalClosure, close?.Reason, timeout.Token);
            }

            await receiving.WaitAsync(s_closeTimeout);
        }
        catch (Exception error) when (error is TimeoutException || IsConnectionError(error))
        {
            // The client did not finish the handshake in time (or the connection broke).
        }
        finally
        {
            if (_socket.State != WebSocketState.Closed)
            {
                _socket.Abort();
            }
        }

        await receiving;
    }

    private static bool IsConnectionError(Exception error) =>
        error is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException;

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "WebSocket client of organization {OrgId} fell more than {Capacity} events behind and was cut off")]
    private static partial void LogCutOff(ILogger logger, string orgId, int capacity);
}

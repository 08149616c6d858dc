using System.Collections.Concurrent;
using System.Diagnostics;
using Spooled.Broker.Engine;
using Spooled.Broker.Events;
using Spooled.Broker.Records;
using Spooled.Broker.Snapshots;
using Spooled.Broker.State;
using Spooled.Log;

namespace Spooled.Broker;

/// <summary>
/// The job broker: every job's life held in memory and made durable by the log. One engine thread
/// owns the state; callers on any thread submit requests and get their answer once the records
/// those requests wrote are durable (reads wait for everything written before them, so nothing
/// read can be lost in a crash).
/// </summary>
public sealed partial class JobBroker : IAsyncDisposable
{
    private const int MaxCommandsPerTurn = 512;

    /// <summary>
    /// Requests per log append. Handing records to the log a few requests at a time, rather than once
    /// per turn, lets the log's writer sync the first of a burst while the engine runs the rest: with
    /// many clients each waiting for its answer, one append per turn made the engine and the disk take
    /// turns. Appending after every request doubled the syncs and lost more than it gained (measured
    /// in docs/benchmarks.md).
    /// </summary>
    private const int FlushEveryCommands = 4;

    /// <summary>A group that has written this much is appended at once, however few requests it holds.</summary>
    private const int MaxGroupBytes = 8 * 1024 * 1024;

    private readonly BrokerOptions _options;
    private readonly SegmentedLog _log;
    private readonly BrokerEngine _engine;
    private readonly ConcurrentQueue<Command> _inbox = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread _thread;
    private readonly ITimer _wakeTimer;
    private readonly List<ReadOnlyMemory<byte>> _slices = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sleeping;
    private int _timerFired;
    private volatile bool _stopping;
    private volatile bool _noWaiting;
    private volatile Exception? _failure;
    private Task _lastDurable = Task.CompletedTask;
    private long _wakeAt = long.MaxValue;

    // Snapshot bookkeeping (engine thread).
    private long _bytesSinceSnapshot;
    private long _lastSnapshotBytes;
    private readonly CaptureArrays _captureArrays = new();
    private long _lastSnapshotAt;
    private Task _snapshotWrite = Task.CompletedTask;
    private readonly ConcurrentQueue<TaskCompletionSource<SnapshotReport>> _snapshotRequests = new();

    private JobBroker(BrokerOptions options, SegmentedLog log, BrokerState state, StartupReport startup)
    {
        _options = options;
        _log = log;
        _engine = new BrokerEngine(state, options);
        Startup = startup;
        Events = new EventBus(options.EventsKept);
        _lastSnapshotAt = options.TimeProvider.GetTimestamp();
        _wakeTimer = options.TimeProvider.CreateTimer(static s => ((JobBroker)s!).TimerFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _thread = new Thread(Run) { IsBackground = true, Name = "spooled-broker" };
    }

    /// <summary>What opening found: the snapshot used and the records replayed.</summary>
    public StartupReport Startup { get; }

    /// <summary>The failure that stopped the broker, or null while it accepts requests.</summary>
    public Exception? Failure => _failure ?? _log.Failure;

    /// <summary>The most recent snapshot taken by this process, if any.</summary>
    public SnapshotReport? LastSnapshot { get; private set; }

    /// <summary>
    /// Opens the log, loads the newest intact snapshot, replays the records after it and starts the
    /// engine. Throws <see cref="LogCorruptionException"/> or <see cref="BrokerRecordException"/>
    /// rather than start from a state it cannot trust.
    /// </summary>
    public static JobBroker Open(BrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var started = Stopwatch.GetTimestamp();
        var log = SegmentedLog.Open(options.Log);
        try
        {
            var retention = new RetentionPolicy(options.RetentionWindow.Ticks, options.RetentionMaxJobsPerOrganization);
            var snapshot = log.Snapshots.LoadLatest(out var skipped);
            BrokerState state;
            long position;
            if (snapshot is not null)
            {
                state = StateSnapshot.Read(snapshot.Data.Span, retention);
                position = snapshot.Position;
            }
            else
            {
                state = new BrokerState(retention);
                position = log.StartPosition;
            }

            if (position < log.StartPosition || position > log.EndPosition)
            {
                throw new BrokerRecordException($"the snapshot covers up to position {position}, but the log holds {log.StartPosition}..{log.EndPosition}");
            }

            var loaded = Stopwatch.GetElapsedTime(started);
            long replayed = 0;
            using (var reader = log.ReadFrom(position))
            {
                while (reader.TryRead(out var record))
                {
                    try
                    {
                        state.Apply(record.Payload.Span);
                    }
                    catch (BrokerRecordException error)
                    {
                        throw new BrokerRecordException(error.Message, record.Position, error);
                    }

                    replayed++;
                }
            }

            var report = new StartupReport(snapshot?.Position, skipped, replayed, state.Jobs.Count, loaded, Stopwatch.GetElapsedTime(started));
            var broker = new JobBroker(options, log, state, report);
            broker._thread.Start();
            return broker;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Authenticates a raw API key from any thread, without the engine: O(1) on its SHA-256.</summary>
    public ApiKeyIdentity? Authenticate(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        if (!_engine.State.Identities.TryGetValue(ApiKeyHash.Of(apiKey), out var key) || !key.IsActive)
        {
            return null;
        }

        var now = _options.TimeProvider.GetUtcNow().UtcTicks;
        if (key.ExpiresAt != 0 && key.ExpiresAt <= now)
        {
            return null;
        }

        Volatile.Write(ref key.LastUsed, now);
        return new ApiKeyIdentity(key.Id, key.Org.Id, key.Queues, key.IsActive, key.ExpiresAt == 0 ? null : new DateTimeOffset(key.ExpiresAt, TimeSpan.Zero));
    }

    /// <summary>The key's own rate limit (requests per second), if it has one (any thread, no engine).</summary>
    public int? RateLimitOf(Guid keyId) => _engine.State.ApiKeys.TryGetValue(keyId, out var key) ? key.RateLimit : null;

    /// <summary>
    /// Whether the key exists in <paramref name="orgId"/>, is active and not expired (any thread, no
    /// engine): checked on every request made with an access token, so revoking a key also stops
    /// the tokens issued for it.
    /// </summary>
    public bool IsKeyActive(Guid keyId, string orgId)
    {
        if (!_engine.State.ApiKeys.TryGetValue(keyId, out var key) || !key.IsActive || !string.Equals(key.Org.Id, orgId, StringComparison.Ordinal))
        {
            return false;
        }

        return key.ExpiresAt == 0 || key.ExpiresAt > _options.TimeProvider.GetUtcNow().UtcTicks;
    }

    /// <summary>
    /// Writes a snapshot now (after everything written so far is durable) and deletes the log
    /// segments no retained snapshot needs. Completes once the snapshot file is durable.
    /// </summary>
    public Task<SnapshotReport> SnapshotAsync()
    {
        var request = new TaskCompletionSource<SnapshotReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        _snapshotRequests.Enqueue(request);
        Wake();
        return request.Task;
    }

    /// <summary>
    /// Answers every waiting (long-poll) claim empty now, and from now on answers claims at once
    /// instead of waiting: for a server that is shutting down and must let its requests finish.
    /// </summary>
    public void StopWaiting()
    {
        _noWaiting = true;
        Wake();
    }

    /// <summary>Stops the engine after the requests already submitted, then closes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping)
        {
            _stopping = true;
            Wake();
            await _stopped.Task.ConfigureAwait(false);
            try
            {
                await _lastDurable.ConfigureAwait(false);
                await _snapshotWrite.ConfigureAwait(false);
            }
            catch (Exception error) when (error is LogFailedException or ObjectDisposedException or IOException)
            {
                // Already reported to the callers whose requests failed.
            }

            await _wakeTimer.DisposeAsync().ConfigureAwait(false);
            await _log.DisposeAsync().ConfigureAwait(false);
            _signal.Dispose();
        }
    }

    internal Task<T> Submit<T>(Func<BrokerEngine, T> work)
    {
        var command = new Command<T>(work);
        return TryEnqueue(command) is { } refusal ? Task.FromException<T>(refusal) : command.Task;
    }

    /// <summary>Queues a command for the engine; returns why not when the broker refuses work.</summary>
    private BrokerException? TryEnqueue(Command command)
    {
        if (_failure is { } failure)
        {
            return Unavailable(failure);
        }

        if (_stopping)
        {
            return new BrokerException(BrokerErrorCode.Unavailable, "The broker is shutting down");
        }

        _inbox.Enqueue(command);
        Wake();
        return null;
    }

    private static BrokerException Unavailable(Exception cause) =>
        new(BrokerErrorCode.Unavailable, "The broker cannot accept changes: " + cause.Message);

    private void TimerFired()
    {
        Volatile.Write(ref _timerFired, 1);
        Wake();
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _signal.Release();
        }
    }
}

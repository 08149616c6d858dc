using System.Globalization;
using System.Text;
using Spooled.Log.Storage;
using Spooled.Testing;
using Xunit.Sdk;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// Interprets a <see cref="CrashScenario"/> against a real <see cref="SegmentedLog"/> over a
/// <see cref="SimulatedStorage"/>, checking the two-bound model after every recovery:
/// <list type="bullet">
/// <item>MustHave: every record whose append was acknowledged, at its acknowledged position, and every record
/// a previous recovery returned (recovery syncs what it keeps, so it must never come back smaller).</item>
/// <item>MayHave: every record ever appended. Nothing else may appear, nothing may appear twice, and every
/// record must be byte for byte what was appended.</item>
/// <item>Atomic prefix: the records after those of the previous recovery are a prefix of the appends made
/// since, in the order they were made (appends are staged in call order, and a crash keeps a prefix).</item>
/// </list>
/// Every failure message carries the scenario and a transcript of what happened.
/// </summary>
internal sealed class CrashScenarioRunner
{
    public const int SegmentSize = 2048;
    public const int MaxRecordSize = 600;
    public const int CompressionThreshold = 64;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly CrashScenario _scenario;
    private readonly SimulatedStorage _disk = new();
    private readonly StringBuilder _transcript = new();
    private readonly Dictionary<int, byte[]> _payloads = [];
    private readonly Dictionary<int, long> _acknowledged = [];
    private readonly List<int> _sinceRecovery = [];
    private readonly List<PendingAppend> _pending = [];
    private List<StoredRecord> _recovered = [];
    private KillableStorage _process;
    private SegmentedLog? _log;
    private int _nextId = 1;

    private CrashScenarioRunner(CrashScenario scenario)
    {
        _scenario = scenario;
        _process = new KillableStorage(_disk);
    }

    /// <summary>
    /// Options of the logs under test. The scenarios run with preallocated segments (the default), so
    /// power losses hit zero-filled space too; the exhaustive tests pass <paramref name="preallocate"/>
    /// false, because a background preparer would make their file layouts and I/O counts vary by run.
    /// </summary>
    public static LogOptions Options(ILogStorage storage, bool preallocate = false) => new()
    {
        Storage = storage,
        PreallocateSegments = preallocate,
        Durability = DurabilityPolicy.Fsync,
        SegmentSize = SegmentSize,
        MaxRecordSize = MaxRecordSize,
        CompressionThreshold = CompressionThreshold,
    };

    /// <summary>Runs the scenarios of <paramref name="batch"/> side by side; fails with the first failure.</summary>
    public static async Task RunAsync(CrashScenarioBatch batch)
    {
        var runs = batch.Scenarios.Select(RunAsync).ToList();
        try
        {
            await Task.WhenAll(runs);
        }
        catch (XunitException)
        {
            var failures = runs.Where(run => run.IsFaulted).Select(run => run.Exception!.InnerException!).ToList();
            if (failures.Count == 1)
            {
                throw;
            }

            throw new XunitException($"{failures.Count} scenarios of the batch failed; the first:{Environment.NewLine}{failures[0].Message}", failures[0]);
        }
    }

    /// <summary>Runs the scenario; fails with an xunit failure naming the scenario and the transcript on any violation.</summary>
    public static async Task RunAsync(CrashScenario scenario)
    {
        var runner = new CrashScenarioRunner(scenario);
        try
        {
            await runner.RunAsync();
        }
        catch (Exception error)
        {
            throw new XunitException(
                $"Crash scenario failed: {error.Message}{Environment.NewLine}Scenario: {scenario}{Environment.NewLine}Transcript:{Environment.NewLine}{runner._transcript}",
                error);
        }
        finally
        {
            await runner.AbandonAsync();
        }
    }

    private async Task RunAsync()
    {
        Note("open empty log");
        _log = SegmentedLog.Open(Options(_process, preallocate: true));
        for (var i = 0; i < _scenario.Steps.Count; i++)
        {
            var step = _scenario.Steps[i];
            Note($"{i + 1}. {step}");
            await ExecuteAsync(step);
        }

        // Every scenario ends with a power loss and a check (steps after earlier crashes check that appends
        // made after a recovery survive the next one).
        var final = new CrashStep.Crash(CrashMode.Random, _scenario.FinalSeed, 0, -1, -1);
        Note($"final: {final}");
        await CrashAsync(final);

        // I8: recovering an already recovered log changes nothing.
        await Log.DisposeAsync();
        var files = _disk.ListFiles().ToDictionary(name => name, _disk.GetBytes, StringComparer.Ordinal);
        _log = SegmentedLog.Open(Options(_process, preallocate: true));
        var report = _log.Recovery;
        Check(
            report.TornBytesTruncated == 0 && report.RecordsAdopted == 0 && report.RemovedIncompleteSegment is null,
            $"reopening the recovered log changed it again ({report})");
        Check(DamageOracle.Same(_recovered, StoredRecord.ReadAll(_log)), "reopening the recovered log changed its records");
        await _log.DisposeAsync();
        _log = null;
        Check(
            files.Count == _disk.ListFiles().Count && files.All(pair => _disk.Exists(pair.Key) && _disk.GetBytes(pair.Key).AsSpan().SequenceEqual(pair.Value)),
            "reopening and closing the recovered log changed its files");
    }

    private async Task ExecuteAsync(CrashStep step)
    {
        switch (step)
        {
            case CrashStep.Append append:
                await AppendAsync(append.Size, append.Compressible);
                break;
            case CrashStep.AppendUnawaited unawaited:
                {
                    var (id, payload) = NewRecord(unawaited.Size, unawaited.Compressible);
                    _pending.Add(new PendingAppend([id], Log.AppendAsync(payload).AsTask()));
                    Note($"   #{id} ({payload.Length} B) started");
                    break;
                }

            case CrashStep.AppendGroup group:
                {
                    var ids = new List<int>();
                    var records = new List<ReadOnlyMemory<byte>>();
                    for (var i = 0; i < group.Sizes.Count; i++)
                    {
                        var (id, payload) = NewRecord(group.Sizes[i], compressible: i % 2 == 1);
                        ids.Add(id);
                        records.Add(payload);
                    }

                    var append = Log.AppendAsync(records);
                    if (group.Await)
                    {
                        Acknowledge(ids, await append);
                    }
                    else
                    {
                        _pending.Add(new PendingAppend(ids, append.AsTask()));
                        Note($"   #{ids[0]}..#{ids[^1]} started");
                    }

                    break;
                }

            case CrashStep.Crash crash:
                await CrashAsync(crash);
                break;
            case CrashStep.Restart:
                await Log.DisposeAsync();
                await SettlePendingAsync(mustSucceed: true);
                _log = SegmentedLog.Open(Options(_process, preallocate: true));
                Note($"   reopened: {_log.Recovery}");
                Verify(clean: true);
                break;
            default:
                throw new InvalidOperationException($"Unknown step {step}.");
        }
    }

    private SegmentedLog Log => _log ?? throw new InvalidOperationException("No log is open.");

    private async Task AppendAsync(int size, bool compressible)
    {
        var (id, payload) = NewRecord(size, compressible);
        Acknowledge([id], await Log.AppendAsync(payload));
    }

    private (int Id, byte[] Payload) NewRecord(int size, bool compressible)
    {
        var id = _nextId++;
        var payload = Payload.Create(id, size, compressible);
        _payloads.Add(id, payload);
        _sinceRecovery.Add(id);
        return (id, payload);
    }

    private void Acknowledge(IReadOnlyList<int> ids, long position)
    {
        _acknowledged[ids[0]] = position;
        for (var i = 1; i < ids.Count; i++)
        {
            _acknowledged[ids[i]] = -1; // A group reports only its first record's position.
        }

        Note($"   #{ids[0]}{(ids.Count > 1 ? $"..#{ids[^1]}" : "")} acknowledged at {position}");
    }

    private async Task CrashAsync(CrashStep.Crash crash)
    {
        // The process dies now or a few disk operations later; appends in flight settle either way.
        _process.KillAfter(crash.KillAfterOps);
        await WaitForPendingAsync();
        _process.Kill();
        await Log.DisposeAsync(); // The dead process cannot reach the disk: this only ends the writer thread.
        _log = null;
        await SettlePendingAsync(mustSucceed: false);
        _disk.Crash(new Random(crash.Seed), crash.Mode);
        if (crash.RecoveryKillAfterOps >= 0)
        {
            await InterruptedRecoveryAsync(crash);
        }

        _process = new KillableStorage(_disk);
        _log = SegmentedLog.Open(Options(_process, preallocate: true));
        Note($"   recovered: {_log.Recovery}");
        Verify(clean: false);
        if (crash.DamageProbe >= 0)
        {
            await ProbeDamageAsync(crash.DamageProbe);
        }
    }

    /// <summary>A recovery that dies part way (I8: recovering the result of a crashed recovery loses nothing).</summary>
    private async Task InterruptedRecoveryAsync(CrashStep.Crash crash)
    {
        var doomed = new KillableStorage(_disk);
        doomed.KillAfter(crash.RecoveryKillAfterOps);
        SegmentedLog? log = null;
        try
        {
            log = SegmentedLog.Open(Options(doomed, preallocate: true));
        }
        catch (IOException) when (doomed.IsDead)
        {
            Note($"   recovery killed after {doomed.Mutations} disk op(s)");
        }

        if (log is not null)
        {
            Note($"   recovery finished within its budget ({log.Recovery}), then power lost");
            doomed.Kill();
            await log.DisposeAsync();
        }

        _disk.Crash(new Random(crash.Seed + 1), crash.Mode);
    }

    private async Task WaitForPendingAsync()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(_pending.Select(p => p.Task)).WaitAsync(s_timeout);
        }
        catch (LogFailedException)
        {
            // Checked one by one in SettlePendingAsync.
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Appends still unsettled after {s_timeout.TotalSeconds} s: {_pending.Count(p => !p.Task.IsCompleted)} of {_pending.Count} pending, process dead: {_process.IsDead}, log failure: {_log?.Failure?.Message ?? "none"}.");
        }
    }

    private async Task SettlePendingAsync(bool mustSucceed)
    {
        foreach (var pending in _pending)
        {
            try
            {
                Acknowledge(pending.Ids, await pending.Task.WaitAsync(s_timeout));
            }
            catch (LogFailedException) when (!mustSucceed)
            {
                Note($"   #{pending.Ids[0]}{(pending.Ids.Count > 1 ? $"..#{pending.Ids[^1]}" : "")} failed (power lost)");
            }
        }

        _pending.Clear();
    }

    private void Verify(bool clean)
    {
        var log = Log;
        var report = log.Recovery;
        var records = StoredRecord.ReadAll(log);
        Note($"   read back: {StoredRecord.Describe(records)}");
        Check(report.Records == records.Count, $"the report counts {report.Records} record(s) but {records.Count} were read");
        Check(report.EndPosition == log.EndPosition, $"the report's end {report.EndPosition} differs from the log's {log.EndPosition}");
        var seen = new HashSet<int>();
        foreach (var record in records)
        {
            Check(_payloads.TryGetValue(record.Id, out var appended), $"record {record} was never appended (phantom)");
            Check(appended!.AsSpan().SequenceEqual(record.Payload), $"record {record} is not the {appended!.Length} bytes appended as #{record.Id}");
            Check(seen.Add(record.Id), $"record #{record.Id} appears twice");
        }

        for (var i = 0; i < _recovered.Count; i++)
        {
            Check(
                i < records.Count && records[i].Id == _recovered[i].Id && records[i].Position == _recovered[i].Position,
                $"the previous recovery returned {_recovered[i]} as record {i}, now {(i < records.Count ? records[i].ToString() : "nothing")}");
        }

        var since = records.Skip(_recovered.Count).Select(r => r.Id).ToList();
        Check(
            since.Count <= _sinceRecovery.Count && since.SequenceEqual(_sinceRecovery.Take(since.Count)),
            $"the records after the previous recovery [{string.Join(' ', since)}] are not a prefix of the appends made since [{string.Join(' ', _sinceRecovery)}]");
        var positions = records.ToDictionary(r => r.Id, r => r.Position);
        foreach (var (id, position) in _acknowledged)
        {
            Check(positions.TryGetValue(id, out var at), $"acknowledged record #{id} (position {position}) is lost");
            Check(position < 0 || at == position, $"acknowledged record #{id} moved from {position} to {at}");
        }

        if (clean)
        {
            Check(
                since.Count == _sinceRecovery.Count && report.TornBytesTruncated == 0 && report.RecordsAdopted == 0 && report.RemovedIncompleteSegment is null,
                $"a clean close and reopen must keep everything and cut nothing ({report})");
        }

        var layout = LogLayout.Read(_disk);
        foreach (var segment in layout.Segments)
        {
            Check(segment.IntactEnd == segment.Length || (segment == layout.Last && segment.ZeroFilledAfterIntactEnd), $"after recovery {segment.Name} has {segment.Length - segment.IntactEnd} undecodable byte(s) at {segment.IntactEnd}:{Environment.NewLine}{layout}");
            Check(segment.Records.Count == 0 || segment.Records[^1].IsMarker, $"after recovery {segment.Name} has records after its last commit marker:{Environment.NewLine}{layout}");
        }

        _recovered = records;
        _sinceRecovery.Clear();
    }

    /// <summary>One flipped bit in a copy of the just-recovered (fully synced) disk must be refused, cut or removed as the policy says.</summary>
    private async Task ProbeDamageAsync(int probe)
    {
        var layout = LogLayout.Read(_disk);
        var index = (probe / 8) % layout.TotalBytes;
        var (segment, offset) = layout.Locate(index);
        var expectation = await DamageOracle.FlipAndCheckAsync(_disk, layout, segment, offset, probe % 8, storage => Options(storage, preallocate: true), _recovered, appendAfter: false);
        Note($"   damage probe: {expectation} - as expected");
    }

    private async Task AbandonAsync()
    {
        if (_log is null)
        {
            return;
        }

        _process.Kill();
        await _log.DisposeAsync();
        _log = null;
    }

    private void Note(string line) => _transcript.AppendLine(line);

    private static void Check(bool condition, string violation)
    {
        if (!condition)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{violation}."));
        }
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Spooled.Log.Storage;
using Spooled.Log.Tools;
using Spooled.Testing;
using Xunit.Abstractions;

// Not "...Tests.Process": a namespace of that name would hide System.Diagnostics.Process from every
// other namespace under Spooled.Log.Tests.
namespace Spooled.Log.Tests.Processes;

/// <summary>
/// A real SIGKILL of a process appending under the Fsync policy, repeated on one directory: every
/// append the child reported as acknowledged must be in the log, byte for byte, after recovery, and
/// after every later kill and recovery too. The child is tests/Spooled.Log.KillTarget, copied into
/// killtarget/ of this test's output by the test project.
/// </summary>
/// <remarks>In the "heavy" collection: the child keeps both cores busy, which starves the fuzz loop.</remarks>
[Collection("heavy")]
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Cycles = 7;
    private const int EarlyKillCycle = 4;
    private const int Appenders = 16;

    [Fact]
    public async Task SigKill_WhileAppendingWithFsync_EveryAcknowledgedRecordSurvivesEachRecovery()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        using var dir = new TempDirectory();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var acknowledged = new Dictionary<long, (ushort Appender, long Seq)>();
        long? verifiedEnd = null;
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            // One cycle kills early (from process start: before, during or just after the child's
            // recovery); the others kill a random time after the child reported it was appending.
            // After odd cycles the next child recovers the crash itself (and cycle 4's child, killed
            // early, may die inside that recovery); after even ones and the last this test does.
            var early = cycle == EarlyKillCycle;
            var verify = cycle % 2 == 0 || cycle == Cycles - 1;
            var runFor = early ? random.Next(50, 600) : random.Next(200, 1501);
            var run = await RunAndKillAsync(dir.Path, runFor, early, deadline.Token);
            var context = $"seed {seed}, cycle {cycle}, killed after {runFor} ms{(early ? " from start" : string.Empty)}";
            if (run.ReadyEnd is { } readyEnd && verifiedEnd is { } previousEnd)
            {
                // The child opened a log this test had already recovered: recovering it again changes nothing.
                Assert.True(readyEnd == previousEnd, $"{context}: the child opened at end position {readyEnd}, but the log recovered before it ended at {previousEnd}");
            }

            foreach (var (position, appender, seq) in run.Acks)
            {
                Assert.True(acknowledged.TryAdd(position, (appender, seq)), $"{context}: position {position} was acknowledged twice");
            }

            if (!verify)
            {
                output.WriteLine($"cycle {cycle}: killed after {runFor} ms{(early ? " from start" : string.Empty)}, {run.Acks.Count} ack(s) received; left for the next child to recover");
                verifiedEnd = null;
                continue;
            }

            // Read-only first, for the record: what the operator tool says about the crashed log.
            using var inspection = new StringWriter(CultureInfo.InvariantCulture);
            var verdict = LogInspector.Verify(new FileLogStorage(dir.Path), inspection);

            await using var log = SegmentedLog.Open(Options(dir.Path));
            var records = ReadAndCheckAll(log, context);
            output.WriteLine($"cycle {cycle}: killed after {runFor} ms{(early ? " from start" : string.Empty)}, {run.Acks.Count} ack(s) received, inspector verdict {verdict}; recovery: {log.Recovery}");
            foreach (var (position, expected) in acknowledged)
            {
                if (!records.TryGetValue(position, out var found))
                {
                    Assert.Fail($"{context}: acknowledged record (appender {expected.Appender}, seq {expected.Seq}) at position {position} is missing after recovery ({log.Recovery}). Inspector before recovery:\n{inspection}");
                }

                Assert.True(found == expected, $"{context}: position {position} holds (appender {found.Appender}, seq {found.Seq}) but (appender {expected.Appender}, seq {expected.Seq}) was acknowledged there");
            }

            verifiedEnd = log.EndPosition;
        }

        // Once more at the end: the log recovered last time needs no repair, holds at least every
        // acknowledged record, and every record in it decodes to the payload its prefix names.
        await using (var log = SegmentedLog.Open(Options(dir.Path)))
        {
            Assert.Equal(0, log.Recovery.TornBytesTruncated);
            Assert.Equal(0, log.Recovery.RecordsAdopted);
            Assert.Null(log.Recovery.RemovedIncompleteSegment);
            Assert.Equal(verifiedEnd, log.EndPosition);
            var records = ReadAndCheckAll(log, $"seed {seed}, final check");
            Assert.True(records.Count >= acknowledged.Count, $"{records.Count} record(s) in the log but {acknowledged.Count} acknowledged");
            Assert.True(acknowledged.Count > 0, "the child acknowledged nothing in any cycle");
            Assert.True(log.SegmentBasePositions().Count > 1, "segments rolled during the test");
            output.WriteLine($"final: {records.Count} record(s) in {log.SegmentBasePositions().Count} segment(s), {acknowledged.Count} acknowledged");
        }
    }

    private static LogOptions Options(string directory) => new()
    {
        Storage = new FileLogStorage(directory),
        Durability = DurabilityPolicy.Fsync,
        SegmentSize = 1024 * 1024,
        MaxRecordSize = 64 * 1024,
        CompressionThreshold = 256,
    };

    /// <summary>Reads every record, checks it is the exact payload its prefix names and that no pair repeats; position → (appender, seq).</summary>
    private static Dictionary<long, (ushort Appender, long Seq)> ReadAndCheckAll(SegmentedLog log, string context)
    {
        var records = new Dictionary<long, (ushort, long)>();
        var seen = new HashSet<(ushort, long)>();
        using var reader = log.ReadFrom(log.StartPosition);
        while (reader.TryRead(out var record))
        {
            var payload = record.Payload.Span;
            if (payload.Length < 10)
            {
                Assert.Fail($"{context}: the record at position {record.Position} is {payload.Length} bytes, shorter than any payload written");
            }

            var appender = BinaryPrimitives.ReadUInt16LittleEndian(payload);
            var seq = BinaryPrimitives.ReadInt64LittleEndian(payload[2..]);
            if (!payload.SequenceEqual(KillPayload.Create(appender, seq)))
            {
                Assert.Fail($"{context}: the record at position {record.Position} names (appender {appender}, seq {seq}) but its bytes differ from that payload");
            }

            if (!seen.Add((appender, seq)))
            {
                Assert.Fail($"{context}: (appender {appender}, seq {seq}) is in the log twice, the second time at position {record.Position}");
            }

            records.Add(record.Position, (appender, seq));
        }

        return records;
    }

    private static async Task<(long? ReadyEnd, List<(long Position, ushort Appender, long Seq)> Acks)> RunAndKillAsync(string directory, int runForMs, bool fromStart, CancellationToken deadline)
    {
        // The first line is "ready <end-position>": the child has opened the log and started appending.
        var stdout = await KillableChild.RunAndKillAsync(KillTargetPath(), [directory, Appenders.ToString(CultureInfo.InvariantCulture)], readyLines: 1, runForMs, fromStart, deadline);
        return Parse(stdout);
    }

    /// <summary>Every newline-terminated line; a kill can cut only the last one, which is ignored.</summary>
    private static (long? ReadyEnd, List<(long Position, ushort Appender, long Seq)> Acks) Parse(byte[] stdout)
    {
        var text = Encoding.ASCII.GetString(stdout);
        var lines = text.Split('\n');
        long? readyEnd = null;
        var acks = new List<(long Position, ushort Appender, long Seq)>();
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var fields = lines[i].Split(' ');
            if (fields is ["ready", var end])
            {
                readyEnd = long.Parse(end, CultureInfo.InvariantCulture);
            }
            else if (fields is ["ack", var position, var appender, var seq])
            {
                acks.Add((long.Parse(position, CultureInfo.InvariantCulture), ushort.Parse(appender, CultureInfo.InvariantCulture), long.Parse(seq, CultureInfo.InvariantCulture)));
            }
            else
            {
                Assert.Fail($"unexpected line from the child: '{lines[i]}'");
            }
        }

        return (readyEnd, acks);
    }

    private static string KillTargetPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "killtarget", "Spooled.Log.KillTarget.dll");
        Assert.True(File.Exists(path), $"{path} is missing: the test project's CopyKillTarget target copies it there on build");
        return path;
    }

}

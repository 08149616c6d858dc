using System.Globalization;
using Spooled.Log.Format;
using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// Segment rolls (reliability plan F9, F11, I10): the old segment is synced before the new one exists, and the new
/// one's header and directory entry are durable before any record goes into it; so a power loss at any point of
/// a roll loses no acknowledged record.
/// </summary>
public sealed class RollDurabilityTests
{
    private static readonly CrashMode[] s_crashModes =
        [CrashMode.DropUnsynced, CrashMode.KeepPrefix, CrashMode.Torn, CrashMode.Garbage, CrashMode.ZeroTail];

    [Fact]
    public async Task EveryRoll_SyncsTheOldSegment_ThenCreatesWritesSyncsTheNewHeaderAndTheDirectory_BeforeAnyRecordGoesIn()
    {
        var disk = new SimulatedStorage();
        var id = 1;
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk)))
        {
            while (log.SegmentBasePositions().Count < 6)
            {
                // Single records and groups, so rolls happen both between batches and inside one.
                if (id % 3 == 0)
                {
                    await log.AppendAsync([Payload.Create(id++, 150, false), Payload.Create(id++, 250, false), Payload.Create(id++, 90, true)]);
                }
                else
                {
                    await log.AppendAsync(Payload.Create(id++, 60 + (id * 53 % 500), id % 2 == 0));
                }
            }
        }

        var journal = disk.Journal;
        var names = LogLayout.Read(disk).Segments.Select(s => s.Name).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var create = Find(journal, 0, e => e == $"create {name}");
            var header = Find(journal, create + 1, e => e == $"write {name} 0 {SegmentHeader.Size}");
            var flush = Find(journal, header + 1, e => e == $"flush {name}");
            var syncdir = Find(journal, flush + 1, e => e == "syncdir");
            var firstRecord = Find(journal, create + 1, e => IsWrite(e, name, out var offset) && offset >= SegmentHeader.Size);
            var where = $"{name} (create at journal entry {create}, header {header}, flush {flush}, syncdir {syncdir}, first record {firstRecord})";
            Assert.True(create >= 0 && header > create && flush > header && syncdir > flush, $"{where}:{Environment.NewLine}{Excerpt(journal, create)}");
            Assert.True(firstRecord > syncdir, $"{where}: a record was written before the new segment was durable:{Environment.NewLine}{Excerpt(journal, create)}");
            if (i == 0)
            {
                continue;
            }

            var previous = names[i - 1];
            var lastWrite = FindLast(journal, create, e => IsWrite(e, previous, out _));
            var previousFlush = Find(journal, lastWrite + 1, e => e == $"flush {previous}");
            Assert.True(lastWrite >= 0 && previousFlush > lastWrite && previousFlush < create, $"{previous} was not synced after its last write before {name} was created:{Environment.NewLine}{Excerpt(journal, create)}");
            Assert.True(Find(journal, create, e => IsWrite(e, previous, out _)) < 0, $"{previous} was written after {name} was created.");
        }
    }

    [Fact]
    public async Task PowerLossAfterAnyAcknowledgement_AroundRolls_LosesNoAcknowledgedRecord()
    {
        var disk = new SimulatedStorage();
        var acknowledged = new List<StoredRecord>();
        var rolls = 0;
        await using var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk));
        for (var id = 1; rolls < 8; id++)
        {
            var segments = log.SegmentBasePositions().Count;
            var payload = Payload.Create(id, 20 + (id * 89 % 580), id % 3 == 0);
            acknowledged.Add(new StoredRecord(await log.AppendAsync(payload), payload));
            var rolled = log.SegmentBasePositions().Count > segments;
            rolls += rolled ? 1 : 0;

            // Right after every acknowledgement with DropUnsynced; right after a roll in every mode.
            foreach (var mode in rolled ? s_crashModes : [CrashMode.DropUnsynced])
            {
                for (var seed = 0; seed < (rolled ? 4 : 1); seed++)
                {
                    var copy = disk.Clone();
                    copy.Crash(new Random(seed), mode);
                    await using var recovered = SegmentedLog.Open(CrashScenarioRunner.Options(copy));
                    var records = StoredRecord.ReadAll(recovered);
                    Assert.True(
                        DamageOracle.Same(acknowledged, records),
                        $"crash {mode} seed {seed} after #{id}{(rolled ? " (which rolled)" : "")}: recovered [{StoredRecord.Describe(records)}] ({recovered.Recovery}), acknowledged [{StoredRecord.Describe(acknowledged)}].");
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PowerLossAtEveryDiskOperationOfARoll_LosesNoAcknowledgedRecord(bool batchSpansTheRoll)
    {
        // How many disk operations the rolling append makes when nothing interrupts it.
        var (_, _, total) = await RunRollingAppendAsync(batchSpansTheRoll, killAfter: int.MaxValue);
        Assert.True(total >= 7, $"the rolling append made only {total} disk operations");
        for (var killAfter = 0; killAfter <= total; killAfter++)
        {
            var (disk, acknowledged, _) = await RunRollingAppendAsync(batchSpansTheRoll, killAfter);
            foreach (var mode in s_crashModes)
            {
                for (var seed = 0; seed < 4; seed++)
                {
                    var copy = disk.Clone();
                    copy.Crash(new Random(seed), mode);
                    var what = $"{(batchSpansTheRoll ? "split batch" : "single record")}, killed after {killAfter} of {total} op(s), crash {mode} seed {seed}";
                    List<StoredRecord> records;
                    StoredRecord added;
                    await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(copy)))
                    {
                        records = StoredRecord.ReadAll(log);
                        Assert.True(
                            records.Count >= acknowledged.Count && DamageOracle.Same(acknowledged, records[..acknowledged.Count]),
                            $"{what}: recovered [{StoredRecord.Describe(records)}] ({log.Recovery}), acknowledged [{StoredRecord.Describe(acknowledged)}].");
                        for (var i = acknowledged.Count; i < records.Count; i++)
                        {
                            Assert.True(records[i].Id == i + 1 && records[i].Payload.AsSpan().SequenceEqual(Expected(batchSpansTheRoll, i + 1)), $"{what}: unexpected {records[i]}.");
                        }

                        var payload = Payload.Create(9_999, 500, compressible: false);
                        added = new StoredRecord(await log.AppendAsync(payload), payload);
                    }

                    await using var reopened = SegmentedLog.Open(CrashScenarioRunner.Options(copy));
                    Assert.True(DamageOracle.Same([.. records, added], StoredRecord.ReadAll(reopened)), $"{what}: an append after recovery did not survive a reopen ({reopened.Recovery}).");
                }
            }
        }
    }

    /// <summary>
    /// Five 300-byte records fill most of a 2 KiB segment; then one more record (or a group whose first two
    /// records fit and third does not) forces a roll, with the process killed after <paramref name="killAfter"/>
    /// disk operations of that append. Returns the disk, the acknowledged records and the operations made.
    /// </summary>
    private static async Task<(SimulatedStorage Disk, List<StoredRecord> Acknowledged, long Operations)> RunRollingAppendAsync(bool split, int killAfter)
    {
        var disk = new SimulatedStorage();
        var process = new KillableStorage(disk);
        var log = SegmentedLog.Open(CrashScenarioRunner.Options(process));
        var acknowledged = new List<StoredRecord>();
        for (var id = 1; id <= 5; id++)
        {
            var payload = Expected(split, id);
            acknowledged.Add(new StoredRecord(await log.AppendAsync(payload), payload));
        }

        Assert.Single(log.SegmentBasePositions());
        var before = process.Mutations;
        process.KillAfter(killAfter);
        var append = split
            ? log.AppendAsync([Expected(split, 6), Expected(split, 7), Expected(split, 8)]).AsTask()
            : log.AppendAsync(Expected(split, 6)).AsTask();
        try
        {
            var position = await append.WaitAsync(TimeSpan.FromSeconds(30));
            acknowledged.Add(new StoredRecord(position, Expected(split, 6)));
            if (split)
            {
                // Only the first position is returned; the others follow it.
                var records = StoredRecord.ReadFrom(log, position);
                acknowledged.AddRange(records.Skip(1));
                Assert.Equal([7, 8], records.Skip(1).Select(r => r.Id));
            }

            Assert.Equal(2, log.SegmentBasePositions().Count);
        }
        catch (LogFailedException)
        {
        }

        var operations = process.Mutations - before;
        process.Kill();
        await log.DisposeAsync();
        return (disk, acknowledged, operations);
    }

    private static byte[] Expected(bool split, int id) => Payload.Create(id, split && id is 6 or 7 ? 100 : 300, compressible: false);

    private static bool IsWrite(string entry, string name, out long offset)
    {
        offset = -1;
        var parts = entry.Split(' ');
        return parts.Length == 4 && parts[0] == "write" && parts[1] == name
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    private static int Find(IReadOnlyList<string> journal, int from, Func<string, bool> match)
    {
        for (var i = Math.Max(0, from); i < journal.Count; i++)
        {
            if (match(journal[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int FindLast(IReadOnlyList<string> journal, int before, Func<string, bool> match)
    {
        for (var i = before - 1; i >= 0; i--)
        {
            if (match(journal[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Excerpt(IReadOnlyList<string> journal, int around) =>
        string.Join(Environment.NewLine, journal.Skip(Math.Max(0, around - 6)).Take(14));
}

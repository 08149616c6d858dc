using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Spooled.Fuzz;
using Spooled.Log.Format;
using Spooled.Log.Reading;
using Spooled.Log.Snapshots;
using Spooled.Log.Storage;
using Spooled.Testing;
using Xunit.Abstractions;

namespace Spooled.Log.Tests.Fuzz;

/// <summary>
/// Runs every fuzz target of fuzz/Spooled.Fuzz on every test run (house style 20, plan §5.4): seeds
/// are real bytes written by a real <see cref="SegmentedLog"/> and <see cref="SnapshotStore"/> (plus
/// any files in fuzz/corpus/&lt;target&gt;/), mutated with bit flips, byte sets, inserted, deleted and
/// duplicated ranges, truncation, splices and length fields ±1/±2^k. A failure names the random
/// seed, the corpus seed and the input in hex. Long runs: SPOOLED_FUZZ_SECONDS=N runs each target for
/// N seconds instead of a fixed count; SPOOLED_FUZZ_SEED=S replays a run; SPOOLED_FUZZ_WRITE_CORPUS=1
/// (re)writes the seeds into fuzz/corpus/ for external fuzzers.
/// </summary>
/// <remarks>
/// In the "heavy" collection with the kill test: each recovery input allocates several 1 MiB read
/// buffers (one per segment scanned or read), so the recovery loop is allocation-bound, and beside
/// the kill test's child appending on both cores it ran a fifth as many inputs. The count is fixed;
/// a time cap (8 s per target) keeps a slow or loaded machine within budget.
/// </remarks>
[Collection("heavy")]
public sealed class FuzzTargetTests(ITestOutputHelper output)
{
    private const int InputsPerTarget = 3000;
    private const int MaxInputLength = 64 * 1024;
    private static readonly byte[] s_interestingBytes = [0x00, 0xFF, 0x7F, 0x80];

    public static TheoryData<string> TargetNames() => [.. FuzzTargets.All.Select(target => target.Name)];

    [Fact]
    public void All_ListsEveryTargetInTheFuzzAssembly()
    {
        var implemented = typeof(IFuzzTarget).Assembly.GetTypes()
            .Where(type => typeof(IFuzzTarget).IsAssignableFrom(type) && type is { IsInterface: false, IsAbstract: false })
            .ToList();
        var listed = FuzzTargets.All.Select(target => target.GetType()).ToHashSet();
        Assert.NotEmpty(implemented);
        Assert.Empty(implemented.Where(type => !listed.Contains(type)).Select(type => type.FullName));
        Assert.Equal(FuzzTargets.All.Count, FuzzTargets.All.Select(target => target.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(FuzzTargets.All.Count, listed.Count);
    }

    [Fact]
    public void Seeds_ExistForEveryTarget_AndPassUnmutated()
    {
        foreach (var target in FuzzTargets.All)
        {
            var seeds = Seeds(target.Name);
            Assert.True(seeds.Count > 0, $"no seeds for {target.Name}");
            foreach (var (label, bytes, _) in seeds)
            {
                var error = Run(target, bytes);
                Assert.True(error is null, $"{target.Name}: seed '{label}' fails unmutated: {error}\ninput: {Convert.ToHexString(bytes)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public async Task Fuzz_SeededMutations_OnlyAllowedOutcomes(string name)
    {
        var target = FuzzTargets.All.Single(t => t.Name == name);
        var seeds = Seeds(name);
        WriteCorpusIfAsked(name, seeds);
        seeds.AddRange(CorpusFiles(name));
        var randomSeed = int.TryParse(Environment.GetEnvironmentVariable("SPOOLED_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var fixedSeed) ? fixedSeed : Environment.TickCount;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("SPOOLED_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var budget = seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(8);
        var maxInputs = seconds > 0 ? int.MaxValue : InputsPerTarget;

        // The loop runs on a worker so a hang is reported with the input that hangs.
        byte[]? current = null;
        var currentLabel = string.Empty;
        var slowest = TimeSpan.Zero;
        var runs = 0;
        var loop = Task.Run(() =>
        {
            var random = new Random(randomSeed);
            var clock = Stopwatch.StartNew();
            while (runs < maxInputs && clock.Elapsed < budget)
            {
                var (label, bytes, fields) = seeds[random.Next(seeds.Count)];
                var input = Mutate(bytes, fields, seeds[random.Next(seeds.Count)].Bytes, random);
                Volatile.Write(ref current, input);
                currentLabel = label;
                var started = clock.Elapsed;
                var error = Run(target, input);
                slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, (clock.Elapsed - started).Ticks));
                runs++;
                if (error is not null)
                {
                    return $"{name}: input #{runs} (random seed {randomSeed}, from corpus seed '{label}') failed: {error}\ninput ({input.Length} bytes): {Convert.ToHexString(input)}";
                }
            }

            return null;
        });

        string? failure;
        try
        {
            failure = await loop.WaitAsync(budget + TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            var hung = Volatile.Read(ref current) ?? [];
            failure = $"{name}: an input did not finish within 30 s (random seed {randomSeed}, from corpus seed '{currentLabel}')\ninput ({hung.Length} bytes): {Convert.ToHexString(hung)}";
        }

        output.WriteLine($"{name}: {runs} input(s) from {seeds.Count} seed(s), random seed {randomSeed}, slowest input {slowest.TotalMilliseconds:F1} ms");
        Assert.True(failure is null, failure);
        Assert.True(runs >= Math.Min(maxInputs, 20), $"{name}: only {runs} input(s) ran within {budget}");
    }

    /// <summary>Null for an allowed outcome, otherwise what went wrong.</summary>
    private static string? Run(IFuzzTarget target, byte[] input)
    {
        try
        {
            target.Fuzz(input);
            return null;
        }
#pragma warning disable CA1031 // Any exception is a finding, to be reported with its input.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex.ToString();
        }
    }

    private static byte[] Mutate(byte[] seed, int[] fields, byte[] other, Random random)
    {
        var data = new List<byte>(seed);
        var count = 1 + random.Next(4);
        for (var m = 0; m < count; m++)
        {
            switch (random.Next(8))
            {
                case 0 when data.Count > 0:
                    var bit = random.Next(data.Count * 8);
                    data[bit / 8] ^= (byte)(1 << (bit % 8));
                    break;
                case 1 when data.Count > 0:
                    data[random.Next(data.Count)] = s_interestingBytes[random.Next(s_interestingBytes.Length)];
                    break;
                case 2:
                    var inserted = new byte[1 + random.Next(16)];
                    random.NextBytes(inserted);
                    data.InsertRange(random.Next(data.Count + 1), inserted);
                    break;
                case 3 when data.Count > 0:
                    var at = random.Next(data.Count);
                    data.RemoveRange(at, 1 + random.Next(Math.Min(64, data.Count - at)));
                    break;
                case 4 when data.Count > 0:
                    var from = random.Next(data.Count);
                    var range = data.GetRange(from, 1 + random.Next(Math.Min(256, data.Count - from)));
                    data.InsertRange(random.Next(data.Count + 1), range);
                    break;
                case 5 when data.Count > 0:
                    var cut = random.Next(data.Count);
                    data.RemoveRange(cut, data.Count - cut);
                    break;
                case 6 when data.Count >= 4:
                    // A length field (when the seed knows where they are) or any 32-bit word: ±1 or ±2^k.
                    var field = fields.Length > 0 && random.Next(4) != 0 ? fields[random.Next(fields.Length)] : random.Next(data.Count - 3);
                    if (field + 4 <= data.Count)
                    {
                        var value = data[field] | (data[field + 1] << 8) | (data[field + 2] << 16) | (data[field + 3] << 24);
                        var delta = random.Next(3) == 0 ? 1 << random.Next(31) : 1;
                        value = unchecked(random.Next(2) == 0 ? value + delta : value - delta);
                        for (var i = 0; i < 4; i++)
                        {
                            data[field + i] = (byte)(value >> (8 * i));
                        }
                    }

                    break;
                case 7:
                    // Splice: a prefix of this input and a suffix of another seed.
                    var keep = random.Next(data.Count + 1);
                    data.RemoveRange(keep, data.Count - keep);
                    data.AddRange(other.AsSpan(random.Next(other.Length + 1)));
                    break;
            }
        }

        if (data.Count > MaxInputLength)
        {
            data.RemoveRange(MaxInputLength, data.Count - MaxInputLength);
        }

        return [.. data];
    }

    /// <summary>Real bytes, with the input offsets of their length fields.</summary>
    private static List<(string Label, byte[] Bytes, int[] Fields)> Seeds(string target) => target switch
    {
        "record-decoder" => DecoderSeeds(),
        "segment-recovery" => RecoverySeeds(),
        "snapshot-load" => SnapshotSeeds(),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "A fuzz target without seeds: add them here."),
    };

    private static List<(string, byte[], int[])> DecoderSeeds()
    {
        var (storage, bases) = WriteLog(segmentSize: 1024 * 1024, records: 12);
        var segment = storage.GetBytes(SegmentName.For(bases[0]));
        var seeds = new List<(string, byte[], int[])>();
        foreach (var (offset, length) in RecordsOf(storage, bases[0]))
        {
            // The position, then the record alone, and the record with what follows it.
            var alone = new byte[8 + length];
            BinaryPrimitives.WriteInt64LittleEndian(alone, bases[0] + offset);
            segment.AsSpan((int)offset, length).CopyTo(alone.AsSpan(8));
            seeds.Add(($"record at {offset}", alone, [8]));
            var rest = new byte[8 + segment.Length - offset];
            BinaryPrimitives.WriteInt64LittleEndian(rest, bases[0] + offset);
            segment.AsSpan((int)offset).CopyTo(rest.AsSpan(8));
            seeds.Add(($"record at {offset} and the rest", rest, [8, 8 + length]));
        }

        return seeds;
    }

    private static List<(string, byte[], int[])> RecoverySeeds()
    {
        var seeds = new List<(string, byte[], int[])>();

        // One segment, given as its records after a prefixed header (mode 1), also in Repair (mode 3).
        var (single, singleBases) = WriteLog(segmentSize: 1024 * 1024, records: 10);
        var segment = single.GetBytes(SegmentName.For(0));
        var fields = RecordsOf(single, 0).Select(r => 1 + (int)r.Offset - SegmentHeader.Size).ToArray();
        seeds.Add(("one segment, header prefixed", [SegmentRecoveryTarget.PrefixHeader, .. segment.AsSpan(SegmentHeader.Size)], fields));
        seeds.Add(("one segment, header prefixed, repair", [SegmentRecoveryTarget.PrefixHeader | SegmentRecoveryTarget.Repair, .. segment.AsSpan(SegmentHeader.Size)], fields));
        Assert.Single(singleBases);

        // The same segment whole: torn in its last record, and without its last commit marker.
        var whole = RecordsOf(single, 0).Select(r => 1 + (int)r.Offset).ToArray();
        seeds.Add(("one segment, torn tail", [0, .. segment.AsSpan(0, segment.Length - 5)], whole));
        seeds.Add(("one segment, last marker lost", [0, .. segment.AsSpan(0, segment.Length - CommitMarker.RecordSize)], whole));

        // A few small segments, concatenated (the target cuts them apart again). Few: recovery and
        // reading allocate a 1 MiB buffer per segment, which would dominate the loop's time.
        var (many, manyBases) = WriteLog(segmentSize: 1024, records: 40);
        var stream = new List<byte> { 0 };
        var streamFields = new List<int>();
        foreach (var basePosition in manyBases)
        {
            streamFields.AddRange(RecordsOf(many, basePosition).Select(r => 1 + (int)(basePosition + r.Offset)));
            stream.AddRange(many.GetBytes(SegmentName.For(basePosition)));
        }

        Assert.True(manyBases.Count is >= 3 and <= 6, $"the small log rolls a few times ({manyBases.Count} segments)");
        seeds.Add(($"{manyBases.Count} segments", [.. stream], [.. streamFields]));
        seeds.Add(($"{manyBases.Count} segments, repair", [SegmentRecoveryTarget.Repair, .. stream.Skip(1)], [.. streamFields]));

        // A fresh log: a header and nothing else.
        var (empty, _) = WriteLog(segmentSize: 1024 * 1024, records: 0);
        seeds.Add(("empty log", [0, .. empty.GetBytes(SegmentName.For(0))], []));
        return seeds;
    }

    private static List<(string, byte[], int[])> SnapshotSeeds()
    {
        var seeds = new List<(string, byte[], int[])>();
        foreach (var (position, length) in new[] { (0L, 0), (12_345L, 100), (1L << 40, 3000) })
        {
            var storage = new SimulatedStorage();
            var blob = new byte[length];
            new Random(length).NextBytes(blob);
            new SnapshotStore(storage).Write(position, blob);
            seeds.Add(($"snapshot at {position} of {length} bytes", storage.GetBytes(SnapshotStore.NameFor(position)), [8, 16, 24]));
        }

        return seeds;
    }

    /// <summary>A real log on a <see cref="SimulatedStorage"/>: single appends and a multi-record batch, some compressed.</summary>
    private static (SimulatedStorage Storage, List<long> Bases) WriteLog(long segmentSize, int records)
    {
        var storage = new SimulatedStorage();
        var random = new Random(records);
        using var log = SegmentedLog.Open(new LogOptions
        {
            Storage = storage,
            SegmentSize = segmentSize,
            MaxRecordSize = 200,
            CompressionThreshold = 64,
            Durability = DurabilityPolicy.Fsync,
        });
        for (var i = 0; i < records; i++)
        {
            var payload = new byte[1 + random.Next(150)];
            if (i % 2 == 0)
            {
                random.NextBytes(payload);
            }
            else
            {
                payload.AsSpan().Fill((byte)('a' + (i % 26)));
            }

            if (i % 5 == 4)
            {
                log.AppendAsync([payload, payload.AsMemory(0, payload.Length / 2), new byte[100]]).AsTask().Wait();
            }
            else
            {
                log.AppendAsync(payload).AsTask().Wait();
            }
        }

        return (storage, [.. log.SegmentBasePositions()]);
    }

    /// <summary>Offset and length of every record (data and marker) of a segment.</summary>
    private static List<(long Offset, int Length)> RecordsOf(SimulatedStorage storage, long basePosition)
    {
        var records = new List<(long, int)>();
        using var file = storage.Open(SegmentName.For(basePosition), LogFileMode.Read);
        SegmentScanner.Scan(file, basePosition, (long offset, in RecordHeader header, ReadOnlySpan<byte> record) => records.Add((offset, record.Length)));
        return records;
    }

    private static IEnumerable<(string, byte[], int[])> CorpusFiles(string target)
    {
        var directory = CorpusDirectory(target);
        if (directory is null || !Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory)
            .Where(path => !Path.GetFileName(path).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(path => ("corpus " + Path.GetFileName(path), File.ReadAllBytes(path), Array.Empty<int>()))
            .ToList();
    }

    private void WriteCorpusIfAsked(string target, List<(string Label, byte[] Bytes, int[] Fields)> seeds)
    {
        if (Environment.GetEnvironmentVariable("SPOOLED_FUZZ_WRITE_CORPUS") != "1")
        {
            return;
        }

        // At most eight, spread over the list: a starting corpus, not an archive.
        var directory = CorpusDirectory(target) ?? throw new InvalidOperationException("fuzz/corpus was not found above the test or its source.");
        Directory.CreateDirectory(directory);
        var step = Math.Max(1, seeds.Count / 8);
        for (var i = 0; i < seeds.Count && i / step < 8; i += step)
        {
            var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"seed-{i / step:D2}.bin"));
            File.WriteAllBytes(path, seeds[i].Bytes);
            output.WriteLine($"wrote {path}: {seeds[i].Label}");
        }
    }

    /// <summary>fuzz/corpus/&lt;target&gt; of the repository: found from this source file, or above the test output or working directory.</summary>
    private static string? CorpusDirectory(string target, [CallerFilePath] string source = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(source), AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "fuzz", "Spooled.Fuzz")))
                {
                    return Path.Combine(dir.FullName, "fuzz", "corpus", target);
                }
            }
        }

        return null;
    }
}

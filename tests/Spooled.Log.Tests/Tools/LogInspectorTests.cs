using System.Globalization;
using System.Text.RegularExpressions;
using Spooled.Log.Format;
using Spooled.Log.Storage;
using Spooled.Log.Tools;

namespace Spooled.Log.Tests.Tools;

/// <summary>
/// The operator's read-only check (what <c>spooled log verify|dump DIR</c> runs) on a real log in a
/// temporary directory: its exit codes, and that its classification matches what opening the log does.
/// </summary>
public sealed partial class LogInspectorTests : IDisposable
{
    private const int Records = 60;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Verify_IntactLog_Returns0AndCountsRecords()
    {
        await WriteLogAsync();

        var (code, report) = Verify();

        Assert.Equal(0, code);
        Assert.Contains($"{Records} record(s); OK", report, StringComparison.Ordinal);
        Assert.Contains($"{Segments().Count} segment(s)", report, StringComparison.Ordinal);
        Assert.DoesNotContain("TORN", report, StringComparison.Ordinal);
        Assert.DoesNotContain("CORRUPTION", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LastSegmentCutShort_Returns1AndSaysTorn_AndRecoveryCutsTheSame()
    {
        await WriteLogAsync();
        var last = Segments()[^1];
        var length = new FileInfo(last).Length;
        using (var file = File.OpenHandle(last, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(file, length - 3);
        }

        var (code, report) = Verify();

        Assert.Equal(1, code);
        var torn = TornLine().Match(report);
        Assert.True(torn.Success, report);
        Assert.Contains("torn tail (recoverable)", report, StringComparison.Ordinal);
        await using var log = SegmentedLog.Open(Options());
        Assert.Equal(Path.GetFileName(last), log.Recovery.TornSegment);
        Assert.Equal(long.Parse(torn.Groups["offset"].Value, CultureInfo.InvariantCulture), log.Recovery.TornOffset);
    }

    [Fact]
    public async Task Verify_ByteFlippedInSealedSegment_Returns2AndNamesFileAndOffset_AsRecoveryDoes()
    {
        await WriteLogAsync();
        var first = Segments()[0];
        var bytes = await File.ReadAllBytesAsync(first);

        // Inside the body of the first record, which starts right after the segment header.
        bytes[SegmentHeader.Size + RecordHeader.Size + 1] ^= 0x40;
        await File.WriteAllBytesAsync(first, bytes);

        var (code, report) = Verify();

        Assert.Equal(2, code);
        var corruption = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(Options()));
        Assert.Equal(Path.GetFileName(first), corruption.File);
        Assert.Equal(SegmentHeader.Size, corruption.Offset);
        var lines = report.Split('\n');
        var at = Array.FindIndex(lines, line => line.Contains($"CORRUPTION at offset {corruption.Offset}:", StringComparison.Ordinal));
        Assert.True(at > 0, report);
        Assert.StartsWith(Path.GetFileName(first) + ":", lines[at - 1], StringComparison.Ordinal);
        Assert.Contains("CORRUPT", lines.Last(line => line.Length > 0), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_PrintsOneLinePerRecord_AtTheAppendedPositions()
    {
        var positions = await WriteLogAsync();

        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var code = LogInspector.Verify(new FileLogStorage(_dir.Path), output, dump: true);

        Assert.Equal(0, code);
        var dumped = RecordLine().Matches(output.ToString()).Select(m => (Position: long.Parse(m.Groups["position"].Value, CultureInfo.InvariantCulture), Type: m.Groups["type"].Value)).ToList();
        Assert.Equal(positions, dumped.Where(r => r.Type == "Data").Select(r => r.Position));
        var batches = BatchCount().Matches(output.ToString()).Sum(m => int.Parse(m.Groups["batches"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(batches, dumped.Count(r => r.Type == "Commit"));
        Assert.True(dumped.Select(r => r.Position).SequenceEqual(dumped.Select(r => r.Position).Order()), "records are dumped in log order");

        // Verify without dump prints none of those lines.
        Assert.DoesNotMatch(RecordLine(), Verify().Report);
    }

    // The three below pin disagreements between the inspector and recovery found while writing these
    // tests; unskip them with the fix in LogInspector.

    [Fact]
    public async Task Verify_InterruptedRoll_IsNotCorruption()
    {
        await WriteLogAsync();
        var end = EndOfLog();
        await File.WriteAllBytesAsync(Path.Combine(_dir.Path, SegmentName.For(end)), new byte[10]);

        var (code, report) = Verify();

        await using (var log = SegmentedLog.Open(Options()))
        {
            Assert.Equal(SegmentName.For(end), log.Recovery.RemovedIncompleteSegment);
        }

        Assert.True(code < 2, report);
    }

    [Fact]
    public async Task Verify_SealedSegmentWithRecordsAfterItsLastMarker_IsCorruption()
    {
        await WriteLogAsync();
        var first = Segments()[0];
        var bytes = await File.ReadAllBytesAsync(first);
        await File.WriteAllBytesAsync(first, bytes.AsSpan(0, bytes.Length - CommitMarker.RecordSize).ToArray());
        Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(Options()));

        var (code, report) = Verify();

        Assert.True(code == 2, report);
    }

    [Fact]
    public async Task Verify_MiddleSegmentMissing_IsCorruption()
    {
        await WriteLogAsync();
        File.Delete(Segments()[1]);
        Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(Options()));

        var (code, report) = Verify();

        Assert.True(code == 2, report);
    }

    [GeneratedRegex(@"TORN TAIL at offset (?<offset>\d+):")]
    private static partial Regex TornLine();

    [GeneratedRegex(@"^ +(?<position>\d+) (?<type>Data|Commit) +len=", RegexOptions.Multiline)]
    private static partial Regex RecordLine();

    [GeneratedRegex(@" in (?<batches>\d+) batch\(es\)")]
    private static partial Regex BatchCount();

    private LogOptions Options() => new()
    {
        Storage = new FileLogStorage(_dir.Path),

        // These tests cut and flip bytes at the end of files: keep segments growing, so that the end
        // of the file is the end of the data.
        PreallocateSegments = false,
        SegmentSize = 4096,
        MaxRecordSize = 1000,
        CompressionThreshold = 256,
    };

    /// <summary>Appends <see cref="Records"/> records over several segments (some compressed, one multi-record batch); returns their positions.</summary>
    private async Task<List<long>> WriteLogAsync()
    {
        var positions = new List<long>();
        var random = new Random(7);
        await using (var log = SegmentedLog.Open(Options()))
        {
            for (var i = 0; i < Records - 3; i++)
            {
                var payload = new byte[20 + random.Next(400)];
                if (i % 3 == 0)
                {
                    payload.AsSpan().Fill((byte)i);
                }
                else
                {
                    random.NextBytes(payload);
                }

                positions.Add(await log.AppendAsync(payload));
            }

            await log.AppendAsync(new ReadOnlyMemory<byte>[] { "one"u8.ToArray(), "two"u8.ToArray(), "three"u8.ToArray() });
            using var reader = log.ReadFrom(positions[^1]);
            while (reader.TryRead(out var record))
            {
                if (record.Position != positions[^1])
                {
                    positions.Add(record.Position);
                }
            }
        }

        Assert.Equal(Records, positions.Count);
        Assert.True(Segments().Count >= 3, "the log spans several segments");
        Assert.True(new FileInfo(Segments()[^1]).Length > SegmentHeader.Size + 64, "the last segment holds records");
        return positions;
    }

    private List<string> Segments() => [.. Directory.GetFiles(_dir.Path, "*" + SegmentName.Extension).Order(StringComparer.Ordinal)];

    private long EndOfLog()
    {
        var last = Segments()[^1];
        Assert.True(SegmentName.TryParse(Path.GetFileName(last), out var basePosition));
        return basePosition + new FileInfo(last).Length;
    }

    private (int Code, string Report) Verify()
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var code = LogInspector.Verify(new FileLogStorage(_dir.Path), output);
        return (code, output.ToString());
    }
}

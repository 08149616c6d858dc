using System.Diagnostics;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// The disk's own limits, measured the way the bench-peers physlimits/fsyncbench.c measures them, in
/// this process on the log's disk: sequential 64 KiB writes with one fdatasync per MiB (MiB/s, at most
/// 8 GiB), then a 4 KiB write + fdatasync loop (latency percentiles, at most 2 million samples);
/// <c>--block N</c> writes N bytes per sync instead, e.g. the size of one full group commit, and
/// <c>--preallocate MiB</c> overwrites a zero-filled, synced region instead of growing the file.
/// </summary>
internal static class RawDiskMode
{
    private const int SeqChunk = 64 * 1024;
    private const int SyncEvery = 1024 * 1024;
    private const long MaxSeqBytes = 8L * 1024 * 1024 * 1024;
    private const int MaxLatSamples = 2_000_000;

    public static void Run(ModeOptions options)
    {
        using var directory = BenchDirectory.Create("raw", options.Directory);
        Directory.CreateDirectory(directory.FullPath);
        Sequential(Path.Combine(directory.FullPath, "seq.tmp"), options.Duration);
        Latency(Path.Combine(directory.FullPath, "lat.tmp"), options.Block, options.PreallocateMiB, options.Duration);
    }

    private static void Sequential(string path, TimeSpan duration)
    {
        var loadBefore = ProcessSample.LoadAverage();
        var chunk = new byte[SeqChunk];
        chunk.AsSpan().Fill((byte)'y');
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var handle = stream.SafeFileHandle;
        long total = 0;
        long syncs = 0;
        var since = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (total < MaxSeqBytes)
        {
            stream.Write(chunk);
            total += SeqChunk;
            since += SeqChunk;
            if (since >= SyncEvery)
            {
                NativeMethods.DataSync(handle);
                since = 0;
                syncs++;
                if (Stopwatch.GetTimestamp() >= end)
                {
                    break;
                }
            }
        }

        NativeMethods.DataSync(handle);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mode=raw-seq(64KiB writes, fdatasync every 1MiB) bytes={total} secs={seconds:F2} MiB_per_s={total / seconds / 1048576:F1} syncs={syncs} load={loadBefore}->{ProcessSample.LoadAverage()}"));
    }

    private static void Latency(string path, int blockSize, int preallocateMiB, TimeSpan duration)
    {
        var loadBefore = ProcessSample.LoadAverage();
        var block = new byte[blockSize];
        block.AsSpan().Fill((byte)'x');
        var samples = new long[MaxLatSamples];
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        SafeFileHandle handle = stream.SafeFileHandle;
        var region = Preallocate(stream, preallocateMiB, blockSize);
        long offset = 0;
        var count = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (count < samples.Length)
        {
            var before = Stopwatch.GetTimestamp();
            if (region == 0)
            {
                stream.Write(block);
            }
            else
            {
                RandomAccess.Write(handle, block, offset);
                offset = offset + (2 * blockSize) > region ? 0 : offset + blockSize;
            }

            NativeMethods.DataSync(handle);
            var after = Stopwatch.GetTimestamp();
            samples[count++] = after - before;
            if (after >= end)
            {
                break;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var summary = LatencySummary.From(samples.AsSpan(0, count));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mode=raw-lat({(region == 0 ? "append" : "overwrite")} {blockSize}B + fdatasync) n={count} secs={seconds:F2} fsyncs_per_s={count / seconds:F0} p50_us={summary.P50:F0} p99_us={summary.P99:F0} p999_us={summary.P999:F0} max_us={summary.Max:F0} load={loadBefore}->{ProcessSample.LoadAverage()}"));
    }

    /// <summary>Zero-fills and syncs <paramref name="mib"/> MiB (at least two blocks); returns the region's length, 0 when not asked.</summary>
    private static long Preallocate(FileStream stream, int mib, int blockSize)
    {
        if (mib == 0)
        {
            return 0;
        }

        var zeros = new byte[1024 * 1024];
        var region = Math.Max((long)mib * zeros.Length, 2L * blockSize);
        for (long written = 0; written < region; written += zeros.Length)
        {
            stream.Write(zeros, 0, (int)Math.Min(zeros.Length, region - written));
        }

        NativeMethods.DataSync(stream.SafeFileHandle);
        return region;
    }
}

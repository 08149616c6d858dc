using System.Globalization;

namespace Spooled.LoadGen;

/// <summary>
/// Samples the server's memory from <c>/proc/PID/status</c> every 200 ms. Two figures, because they
/// answer different questions: the peak of the sampled VmRSS is what this run pushed the server to,
/// while VmHWM is the kernel's own high-water mark over the process's whole life (including before
/// the run, and spikes between samples).
/// </summary>
internal sealed class RssSampler
{
    private readonly string _path;
    private long _peakRssBytes;
    private long _hwmBytes;

    public RssSampler(int pid)
    {
        _path = "/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/status";
    }

    public long PeakRssBytes => Volatile.Read(ref _peakRssBytes);

    public long HwmBytes => Volatile.Read(ref _hwmBytes);

    public async Task RunAsync(CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(cancel));
        }
        catch (OperationCanceledException)
        {
            Sample();
        }
    }

    public void Sample()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(_path);
        }
        catch (IOException)
        {
            return; // The server exited; keep the last figures.
        }

        foreach (var line in lines)
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var rss = Kilobytes(line) * 1024;
                if (rss > _peakRssBytes)
                {
                    Volatile.Write(ref _peakRssBytes, rss);
                }
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                Volatile.Write(ref _hwmBytes, Kilobytes(line) * 1024);
            }
        }
    }

    /// <summary>Parses "VmRSS:     123456 kB".</summary>
    private static long Kilobytes(string line)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb : 0;
    }
}

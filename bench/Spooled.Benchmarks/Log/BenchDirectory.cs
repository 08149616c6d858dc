namespace Spooled.Benchmarks.Log;

/// <summary>
/// A fresh directory for one benchmark's files, deleted on dispose. It sits under
/// <c>SPOOLED_BENCH_DIR</c> when set, else under the temp directory; either must be on the disk being
/// measured, not a tmpfs, where fsync costs nothing (<see cref="FileSystemType"/> tells which).
/// </summary>
internal sealed class BenchDirectory : IDisposable
{
    private BenchDirectory(string fullPath) => FullPath = fullPath;

    /// <summary>The directory (not yet created: the log's storage creates it).</summary>
    public string FullPath { get; }

    /// <summary>The parent all benchmark directories go under.</summary>
    public static string Root
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("SPOOLED_BENCH_DIR");
            return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.GetTempPath() : configured);
        }
    }

    public static BenchDirectory Create(string purpose, string? root = null)
    {
        var parent = Path.GetFullPath(root ?? Root);
        Directory.CreateDirectory(parent);
        return new BenchDirectory(Path.Combine(parent, $"spooled-bench-{purpose}-{Guid.NewGuid():N}"));
    }

    /// <summary>The type of the file system holding <paramref name="path"/> (longest mount-point match in /proc/self/mounts), or "unknown".</summary>
    public static string FileSystemType(string path)
    {
        const string mounts = "/proc/self/mounts";
        if (!File.Exists(mounts))
        {
            return "unknown";
        }

        var full = Path.GetFullPath(path);
        var best = -1;
        var type = "unknown";
        foreach (var line in File.ReadLines(mounts))
        {
            var fields = line.Split(' ');
            if (fields.Length < 3)
            {
                continue;
            }

            var mountPoint = fields[1];
            var matches = mountPoint == "/"
                || full == mountPoint
                || full.StartsWith(mountPoint + "/", StringComparison.Ordinal);
            if (matches && mountPoint.Length > best)
            {
                best = mountPoint.Length;
                type = $"{fields[2]} on {fields[0]}";
            }
        }

        return type;
    }

    public void Dispose()
    {
        if (Directory.Exists(FullPath))
        {
            Directory.Delete(FullPath, recursive: true);
        }
    }
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// Evicts files from the page cache without root (posix_fadvise DONTNEED drops clean pages), so a
/// reopen reads the disk as after a reboot instead of memory. Linux only; pages not yet written back
/// stay cached, which is why the log's files are evicted only after the broker closed them synced.
/// </summary>
internal static class PageCache
{
    private const int DontNeed = 4; // POSIX_FADV_DONTNEED on Linux.

    [DllImport("libc", SetLastError = false)]
    private static extern int posix_fadvise(int fd, long offset, long length, int advice);

    /// <summary>Evicts every file under <paramref name="directory"/>; returns the bytes covered.</summary>
    public static long Evict(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Evicting the page cache needs posix_fadvise (Linux).");
        }

        long bytes = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Advise(handle, path);
            bytes += RandomAccess.GetLength(handle);
        }

        return bytes;
    }

    private static void Advise(SafeFileHandle handle, string path)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            // posix_fadvise returns the error number itself rather than setting errno.
            var error = posix_fadvise((int)handle.DangerousGetHandle(), 0, 0, DontNeed);
            if (error != 0)
            {
                throw new IOException($"posix_fadvise failed on {path}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).", error);
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}

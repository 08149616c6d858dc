using System.Runtime.InteropServices;

namespace Spooled.Log.Storage;

/// <summary>
/// The two POSIX calls the BCL does not expose: fdatasync (RandomAccess.FlushToDisk issues a full
/// fsync, which also writes back inode timestamps) and fsync of a directory (File.OpenHandle refuses
/// to open a directory).
/// </summary>
internal static partial class NativeMethods
{
    private const int ORdonly = 0;
    private const int ODirectory = 0x10000; // Linux x86-64 and arm64 share this value.
    private const int OCloexec = 0x80000;

    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    /// <summary>fdatasync on the descriptor; throws <see cref="IOException"/> with the errno on failure.</summary>
    public static void DataSync(SafeHandle handle, string what)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk((Microsoft.Win32.SafeHandles.SafeFileHandle)handle);
            return;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                ThrowErrno("fdatasync", what);
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

    /// <summary>open(O_DIRECTORY) + fsync + close: makes created, renamed and deleted entries durable.</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Other systems are not a production target; their tests still run.
        }

        var fd = open(path, ORdonly | ODirectory | OCloexec);
        if (fd < 0)
        {
            ThrowErrno("open(O_DIRECTORY)", path);
        }

        try
        {
            if (fsync(fd) != 0)
            {
                ThrowErrno("fsync(directory)", path);
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    private static void ThrowErrno(string call, string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        var message = Marshal.GetPInvokeErrorMessage(errno);
        throw new IOException($"{call} failed for '{what}': {message} (errno {errno}).", errno);
    }
}

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
    private const int OCloexec = 0x80000;

    // O_DIRECTORY differs by architecture: 0x10000 on x86 and x86-64, 0x4000 on arm and arm64
    // (where 0x10000 means O_DIRECT).
    private static readonly int s_oDirectory = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 ? 0x4000 : 0x10000;

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

        var fd = open(path, ORdonly | s_oDirectory | OCloexec);
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

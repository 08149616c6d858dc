using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Spooled.Benchmarks.Log;

/// <summary>fdatasync for the raw-disk baseline, kept here so the benchmarks use no internals of the log.</summary>
internal static class NativeMethods
{
    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(int fd);

    /// <summary>fdatasync on the file's descriptor; throws <see cref="IOException"/> on failure.</summary>
    public static void DataSync(SafeFileHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fdatasync failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
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

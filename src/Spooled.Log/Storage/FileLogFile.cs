using Microsoft.Win32.SafeHandles;

namespace Spooled.Log.Storage;

/// <summary>A file of <see cref="FileLogStorage"/>: pread/pwrite through <see cref="RandomAccess"/>, fdatasync through P/Invoke.</summary>
internal sealed class FileLogFile : ILogFile
{
    private readonly SafeFileHandle _handle;
    private readonly string _path;

    public FileLogFile(string name, string path, SafeFileHandle handle)
    {
        Name = name;
        _path = path;
        _handle = handle;
    }

    public string Name { get; }

    public long Length => RandomAccess.GetLength(_handle);

    public int Read(long offset, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(_handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    public void Write(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(_handle, data, offset);

    public void Flush() => NativeMethods.DataSync(_handle, _path);

    public void Truncate(long length) => RandomAccess.SetLength(_handle, length);

    public void Dispose() => _handle.Dispose();
}

using Spooled.Log.Storage;

namespace Spooled.Testing;

/// <summary>
/// A handle on a <see cref="SimulatedStorage"/> file. Like a POSIX descriptor it refers to the file's data,
/// not to its name: it keeps working after the file is renamed or deleted, and dies with a crash.
/// </summary>
internal sealed class SimulatedFile : ILogFile
{
    private readonly SimulatedStorage _storage;

    public SimulatedFile(SimulatedStorage storage, SimulatedNode node, string name, bool canWrite, long generation)
    {
        _storage = storage;
        Node = node;
        Name = name;
        CanWrite = canWrite;
        Generation = generation;
    }

    public string Name { get; }

    public SimulatedNode Node { get; }

    public bool CanWrite { get; }

    /// <summary>The storage's crash count when the handle was opened; a later crash makes the handle unusable.</summary>
    public long Generation { get; }

    /// <summary>Set once <see cref="Dispose"/> ran; read and written under the storage's lock.</summary>
    public bool IsDisposed { get; set; }

    public long Length => _storage.LengthOf(this);

    public int Read(long offset, Span<byte> buffer) => _storage.ReadFile(this, offset, buffer);

    public void Write(long offset, ReadOnlySpan<byte> data) => _storage.WriteFile(this, offset, data);

    public void Flush() => _storage.FlushFile(this);

    public void Truncate(long length) => _storage.TruncateFile(this, length);

    public void Dispose() => _storage.Close(this);
}

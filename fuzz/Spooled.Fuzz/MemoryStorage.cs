using Spooled.Log.Storage;

namespace Spooled.Fuzz;

/// <summary>
/// A minimal in-memory <see cref="ILogStorage"/> for fuzz targets: no crashes, no faults, every write
/// durable at once. Files are byte lists shared by every open handle (a deleted or renamed file stays
/// readable through handles opened before, as on POSIX). One lock guards everything; thread safe.
/// </summary>
public sealed class MemoryStorage : ILogStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<byte>> _files = new(StringComparer.Ordinal);

    /// <summary>Creates or replaces the file <paramref name="name"/> with <paramref name="content"/>.</summary>
    public void WriteFile(string name, ReadOnlySpan<byte> content)
    {
        CheckName(name);
        var data = new List<byte>(content.Length);
        data.AddRange(content);
        lock (_lock)
        {
            _files[name] = data;
        }
    }

    /// <summary>A copy of the content of the file <paramref name="name"/>.</summary>
    public byte[] ReadFile(string name)
    {
        lock (_lock)
        {
            return _files.TryGetValue(name, out var data) ? [.. data] : throw new FileNotFoundException($"No file '{name}'.", name);
        }
    }

    /// <summary>A copy of every file, by name.</summary>
    public SortedDictionary<string, byte[]> CopyFiles()
    {
        lock (_lock)
        {
            var copy = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (name, data) in _files)
            {
                copy.Add(name, [.. data]);
            }

            return copy;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles()
    {
        lock (_lock)
        {
            return [.. _files.Keys];
        }
    }

    /// <inheritdoc />
    public bool Exists(string name)
    {
        lock (_lock)
        {
            return _files.ContainsKey(name);
        }
    }

    /// <inheritdoc />
    public ILogFile Open(string name, LogFileMode mode)
    {
        CheckName(name);
        lock (_lock)
        {
            switch (mode)
            {
                case LogFileMode.Read:
                case LogFileMode.ReadWrite:
                    if (!_files.TryGetValue(name, out var existing))
                    {
                        throw new FileNotFoundException($"No file '{name}'.", name);
                    }

                    return new MemoryFile(name, existing, _lock, writable: mode == LogFileMode.ReadWrite);
                case LogFileMode.CreateNew:
                    if (_files.ContainsKey(name))
                    {
                        throw new IOException($"The file '{name}' already exists.");
                    }

                    var created = new List<byte>();
                    _files.Add(name, created);
                    return new MemoryFile(name, created, _lock, writable: true);
                default:
                    throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown mode.");
            }
        }
    }

    /// <inheritdoc />
    public void Delete(string name)
    {
        lock (_lock)
        {
            _files.Remove(name);
        }
    }

    /// <inheritdoc />
    public void Rename(string from, string to)
    {
        CheckName(to);
        lock (_lock)
        {
            if (!_files.Remove(from, out var data))
            {
                throw new FileNotFoundException($"No file '{from}'.", from);
            }

            _files[to] = data;
        }
    }

    /// <inheritdoc />
    public void SyncDirectory()
    {
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }
    }
}

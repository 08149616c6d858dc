namespace Spooled.Log.Storage;

/// <summary>The production <see cref="ILogStorage"/>: one directory on a local file system.</summary>
public sealed class FileLogStorage : ILogStorage
{
    private readonly string _directory;

    /// <summary>Uses (and creates, durably, when missing) the directory at <paramref name="directory"/>.</summary>
    public FileLogStorage(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        Directory.CreateDirectory(_directory);

        // Make the directory's own entry durable, every time: an earlier start may have created it
        // and crashed before syncing, and CreateDirectory may have made several levels.
        for (var child = _directory; Path.GetDirectoryName(child) is { } parent; child = parent)
        {
            NativeMethods.SyncDirectory(parent);
            if (parent.Length <= Path.GetPathRoot(parent)?.Length)
            {
                break;
            }
        }
    }

    /// <summary>The absolute path of the directory.</summary>
    public string DirectoryPath => _directory;

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles()
    {
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            names.Add(Path.GetFileName(path));
        }

        return names;
    }

    /// <inheritdoc />
    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <inheritdoc />
    public ILogFile Open(string name, LogFileMode mode)
    {
        var (fileMode, access) = mode switch
        {
            LogFileMode.Read => (FileMode.Open, FileAccess.Read),
            LogFileMode.ReadWrite => (FileMode.Open, FileAccess.ReadWrite),
            LogFileMode.CreateNew => (FileMode.CreateNew, FileAccess.ReadWrite),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        var handle = File.OpenHandle(PathOf(name), fileMode, access, FileShare.ReadWrite | FileShare.Delete);
        return new FileLogFile(name, PathOf(name), handle);
    }

    /// <inheritdoc />
    public void Delete(string name) => File.Delete(PathOf(name));

    /// <inheritdoc />
    public void Rename(string from, string to) => File.Move(PathOf(from), PathOf(to), overwrite: true);

    /// <inheritdoc />
    public void SyncDirectory() => NativeMethods.SyncDirectory(_directory);

    private string PathOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }

        return Path.Combine(_directory, name);
    }
}

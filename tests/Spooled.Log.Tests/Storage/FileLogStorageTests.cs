using Spooled.Log.Storage;

namespace Spooled.Log.Tests.Storage;

/// <summary>The storage contract against the real file system, in a fresh temporary directory per test.</summary>
public sealed class FileLogStorageTests : StorageContractTests, IDisposable
{
    private readonly string _directory;

    public FileLogStorageTests()
        : this(Path.Combine(Path.GetTempPath(), "spooled-storage-" + Guid.NewGuid().ToString("N")))
    {
    }

    private FileLogStorageTests(string directory)
        : base(new FileLogStorage(directory))
    {
        _directory = directory;
    }

    [Fact]
    public void Constructor_MissingDirectory_CreatesIt()
    {
        Assert.True(Directory.Exists(_directory));
        Assert.Equal(Path.GetFullPath(_directory), ((FileLogStorage)Storage).DirectoryPath);
    }

    [Fact]
    public void ListFiles_IgnoresSubdirectories()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "sub"));
        CreateWith("a", [1]);

        Assert.Equal(["a"], Storage.ListFiles());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

using Spooled.Log.Storage;

namespace Spooled.Log.Tests.Storage;

/// <summary>
/// Behaviour every <see cref="ILogStorage"/> shares, run against the real file system and the simulation
/// alike so the simulation cannot drift from what the log meets in production.
/// </summary>
public abstract class StorageContractTests
{
    protected StorageContractTests(ILogStorage storage)
    {
        Storage = storage;
    }

    protected ILogStorage Storage { get; }

    [Theory]
    [InlineData(LogFileMode.Read)]
    [InlineData(LogFileMode.ReadWrite)]
    public void Open_MissingFile_ThrowsFileNotFound(LogFileMode mode)
    {
        Assert.Throws<FileNotFoundException>(() => Storage.Open("missing.seg", mode));
    }

    [Fact]
    public void Open_CreateNewOnExistingName_ThrowsIOException()
    {
        CreateWith("a.seg", [1, 2, 3]);

        var error = Assert.ThrowsAny<IOException>(() => Storage.Open("a.seg", LogFileMode.CreateNew));

        Assert.IsNotType<FileNotFoundException>(error);
        Assert.Equal([1, 2, 3], ReadAll("a.seg"));
    }

    [Fact]
    public void Open_CreateNew_CreatesEmptyListedFile()
    {
        using (var file = Storage.Open("a.seg", LogFileMode.CreateNew))
        {
            Assert.Equal("a.seg", file.Name);
            Assert.Equal(0, file.Length);
        }

        Assert.True(Storage.Exists("a.seg"));
        Assert.Equal(["a.seg"], Storage.ListFiles());
    }

    [Fact]
    public void Open_ExistingFileForRead_SeesWrittenBytes()
    {
        CreateWith("a.seg", [5, 6, 7]);

        using var file = Storage.Open("a.seg", LogFileMode.Read);

        Assert.Equal(3, file.Length);
        Assert.Equal([5, 6, 7], ReadAll(file));
    }

    [Fact]
    public void Write_ThenRead_ReturnsTheBytes()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2, 3, 4]);
        file.Write(2, [9, 9, 9]);

        var buffer = new byte[5];
        Assert.Equal(5, file.Read(0, buffer));
        Assert.Equal([1, 2, 9, 9, 9], buffer);
    }

    [Fact]
    public void Write_PastTheEnd_ZeroFillsTheGap()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2]);
        file.Write(6, [3]);

        Assert.Equal(7, file.Length);
        Assert.Equal([1, 2, 0, 0, 0, 0, 3], ReadAll(file));
    }

    [Fact]
    public void Write_EmptySpanPastTheEnd_DoesNotExtend()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2]);
        file.Write(100, ReadOnlySpan<byte>.Empty);

        Assert.Equal(2, file.Length);
    }

    [Fact]
    public void Write_NegativeOffset_ThrowsArgumentOutOfRange()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);

        Assert.Throws<ArgumentOutOfRangeException>(() => file.Write(-1, [1]));
    }

    [Fact]
    public void Read_AtOrAfterTheEnd_ReturnsZero()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2, 3]);
        var buffer = new byte[4];

        Assert.Equal(0, file.Read(3, buffer));
        Assert.Equal(0, file.Read(1000, buffer));
    }

    [Fact]
    public void Read_AcrossTheTail_ReturnsWhatExists()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2, 3, 4, 5]);
        var buffer = new byte[10];

        Assert.Equal(2, file.Read(3, buffer));
        Assert.Equal([4, 5], buffer[..2]);
    }

    [Fact]
    public void Read_EmptyBuffer_ReturnsZero()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2, 3]);

        Assert.Equal(0, file.Read(0, Span<byte>.Empty));
    }

    [Fact]
    public void Read_NegativeOffset_ThrowsArgumentOutOfRange()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);

        Assert.Throws<ArgumentOutOfRangeException>(() => file.Read(-1, new byte[1]));
    }

    [Fact]
    public void Truncate_Shorter_CutsTheFile()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2, 3, 4, 5]);

        file.Truncate(2);

        Assert.Equal(2, file.Length);
        Assert.Equal([1, 2], ReadAll(file));
    }

    [Fact]
    public void Truncate_Longer_ZeroExtends()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2]);

        file.Truncate(5);

        Assert.Equal([1, 2, 0, 0, 0], ReadAll(file));
    }

    [Fact]
    public void Truncate_ShorterThenLonger_ExposesZerosNotOldBytes()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2, 3, 4]);

        file.Truncate(1);
        file.Truncate(4);
        file.Write(6, [7]);

        Assert.Equal([1, 0, 0, 0, 0, 0, 7], ReadAll(file));
    }

    [Fact]
    public void Truncate_Negative_ThrowsArgumentOutOfRange()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);

        Assert.Throws<ArgumentOutOfRangeException>(() => file.Truncate(-1));
    }

    [Fact]
    public void Length_ReflectsUnflushedWrites()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, new byte[100]);
        Assert.Equal(100, file.Length);

        file.Write(100, new byte[28]);
        Assert.Equal(128, file.Length);

        file.Flush();
        Assert.Equal(128, file.Length);
    }

    [Fact]
    public void Flush_KeepsTheContent()
    {
        using var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1, 2, 3]);
        file.Flush();
        file.Truncate(2);
        file.Flush();

        Assert.Equal([1, 2], ReadAll(file));
    }

    [Fact]
    public void Flush_OnReadHandle_Succeeds()
    {
        CreateWith("a.seg", [1]);
        using var file = Storage.Open("a.seg", LogFileMode.Read);

        file.Flush();

        Assert.Equal([1], ReadAll(file));
    }

    [Fact]
    public void ReadHandle_Write_ThrowsUnauthorizedAccess()
    {
        CreateWith("a.seg", [1, 2]);
        using var file = Storage.Open("a.seg", LogFileMode.Read);

        Assert.Throws<UnauthorizedAccessException>(() => file.Write(0, [9]));
        Assert.Equal([1, 2], ReadAll("a.seg"));
    }

    [Fact]
    public void ReadHandle_Truncate_ThrowsIOException()
    {
        CreateWith("a.seg", [1, 2]);
        using var file = Storage.Open("a.seg", LogFileMode.Read);

        Assert.ThrowsAny<IOException>(() => file.Truncate(0));
        Assert.Equal([1, 2], ReadAll("a.seg"));
    }

    [Fact]
    public void ReadHandle_WhileAnotherHandleWrites_SeesTheNewBytes()
    {
        using var writer = Storage.Open("a.seg", LogFileMode.CreateNew);
        using var reader = Storage.Open("a.seg", LogFileMode.Read);

        writer.Write(0, [1, 2, 3]);
        Assert.Equal(3, reader.Length);
        Assert.Equal([1, 2, 3], ReadAll(reader));

        writer.Write(3, [4]);
        writer.Truncate(2);
        Assert.Equal([1, 2], ReadAll(reader));
    }

    [Fact]
    public async Task ReadHandle_ConcurrentWithAppendingWriter_ReadsOnlyWrittenBytes()
    {
        const int Chunk = 64;
        const int Chunks = 300;
        using var writer = Storage.Open("a.seg", LogFileMode.CreateNew);
        using var reader = Storage.Open("a.seg", LogFileMode.Read);

        var writing = Task.Run(() =>
        {
            var chunk = new byte[Chunk];
            for (var i = 0; i < Chunks; i++)
            {
                for (var j = 0; j < Chunk; j++)
                {
                    chunk[j] = Pattern((i * Chunk) + j);
                }

                writer.Write(i * Chunk, chunk);
            }
        });

        var buffer = new byte[Chunk * 3];
        while (!writing.IsCompleted || reader.Length < Chunk * Chunks)
        {
            var length = reader.Length;
            var offset = Math.Max(0, length - buffer.Length);
            var read = reader.Read(offset, buffer);
            Assert.True(read >= length - offset, $"read {read} bytes at {offset} of a file of {length}");
            for (var k = 0; k < read; k++)
            {
                Assert.Equal(Pattern((int)offset + k), buffer[k]);
            }
        }

        await writing;
        Assert.Equal(Chunk * Chunks, reader.Length);
    }

    [Fact]
    public void Dispose_ThenRead_ThrowsObjectDisposed()
    {
        var file = Storage.Open("a.seg", LogFileMode.CreateNew);
        file.Write(0, [1]);
        file.Dispose();

        Assert.Throws<ObjectDisposedException>(() => file.Read(0, new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => file.Write(0, [1]));
        Assert.Throws<ObjectDisposedException>(() => file.Length);
        file.Dispose();
    }

    [Fact]
    public void Rename_OverAnExistingTarget_ReplacesIt()
    {
        CreateWith("a.tmp", [1, 2, 3]);
        CreateWith("a.snap", [9]);

        Storage.Rename("a.tmp", "a.snap");

        Assert.False(Storage.Exists("a.tmp"));
        Assert.Equal([1, 2, 3], ReadAll("a.snap"));
        Assert.Equal(["a.snap"], Storage.ListFiles());
    }

    [Fact]
    public void Rename_MissingSource_ThrowsFileNotFound()
    {
        CreateWith("b", [1]);

        Assert.Throws<FileNotFoundException>(() => Storage.Rename("a", "b"));
        Assert.Equal([1], ReadAll("b"));
    }

    [Fact]
    public void Rename_ToTheSameName_KeepsTheFile()
    {
        CreateWith("a", [1]);

        Storage.Rename("a", "a");

        Assert.Equal([1], ReadAll("a"));
    }

    [Fact]
    public void Rename_WhileOpen_HandleWritesTheRenamedFile()
    {
        using var file = Storage.Open("a.tmp", LogFileMode.CreateNew);
        file.Write(0, [1]);

        Storage.Rename("a.tmp", "a.seg");
        file.Write(1, [2]);

        Assert.Equal([1, 2], ReadAll("a.seg"));
    }

    [Fact]
    public void Delete_MissingFile_IsNoOp()
    {
        Storage.Delete("missing");

        Assert.Empty(Storage.ListFiles());
    }

    [Fact]
    public void Delete_ExistingFile_RemovesIt()
    {
        CreateWith("a", [1]);

        Storage.Delete("a");

        Assert.False(Storage.Exists("a"));
        Assert.Empty(Storage.ListFiles());
        Assert.Throws<FileNotFoundException>(() => Storage.Open("a", LogFileMode.Read));
    }

    [Fact]
    public void Delete_WhileOpen_HandleStillReads()
    {
        CreateWith("a", [1, 2]);
        using var file = Storage.Open("a", LogFileMode.Read);

        Storage.Delete("a");

        Assert.Equal([1, 2], ReadAll(file));
    }

    [Fact]
    public void Delete_ThenCreateNew_GivesAnEmptyFile()
    {
        CreateWith("a", [1, 2]);
        Storage.Delete("a");

        using var file = Storage.Open("a", LogFileMode.CreateNew);

        Assert.Equal(0, file.Length);
    }

    [Fact]
    public void ListFiles_ReturnsPlainNames()
    {
        CreateWith("00000001.seg", [1]);
        CreateWith("00000002.seg", [2]);
        CreateWith("checkpoint", [3]);

        var names = Storage.ListFiles().Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["00000001.seg", "00000002.seg", "checkpoint"], names);
    }

    [Fact]
    public void Exists_FollowsCreateRenameAndDelete()
    {
        Assert.False(Storage.Exists("a"));
        CreateWith("a", []);
        Assert.True(Storage.Exists("a"));
        Storage.Rename("a", "b");
        Assert.False(Storage.Exists("a"));
        Assert.True(Storage.Exists("b"));
        Storage.Delete("b");
        Assert.False(Storage.Exists("b"));
    }

    [Fact]
    public void SyncDirectory_AfterCreateRenameAndDelete_Succeeds()
    {
        CreateWith("a", [1]);
        Storage.SyncDirectory();
        Storage.Rename("a", "b");
        CreateWith("c", [2]);
        Storage.Delete("c");

        Storage.SyncDirectory();

        Assert.Equal(["b"], Storage.ListFiles());
    }

    [Theory]
    [InlineData("dir/a.seg")]
    [InlineData("/a.seg")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a\\b")]
    public void Names_NotPlain_ThrowArgumentException(string name)
    {
        CreateWith("ok", [1]);

        Assert.ThrowsAny<ArgumentException>(() => Storage.Open(name, LogFileMode.CreateNew));
        Assert.ThrowsAny<ArgumentException>(() => Storage.Open(name, LogFileMode.Read));
        Assert.ThrowsAny<ArgumentException>(() => Storage.Exists(name));
        Assert.ThrowsAny<ArgumentException>(() => Storage.Delete(name));
        Assert.ThrowsAny<ArgumentException>(() => Storage.Rename("ok", name));
        Assert.ThrowsAny<ArgumentException>(() => Storage.Rename(name, "ok"));
        Assert.Equal(["ok"], Storage.ListFiles());
    }

    protected static byte Pattern(int position) => (byte)((position * 7) % 251);

    protected void CreateWith(string name, byte[] content)
    {
        using var file = Storage.Open(name, LogFileMode.CreateNew);
        file.Write(0, content);
        file.Flush();
    }

    protected byte[] ReadAll(string name)
    {
        using var file = Storage.Open(name, LogFileMode.Read);
        return ReadAll(file);
    }

    protected static byte[] ReadAll(ILogFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var bytes = new byte[file.Length];
        var read = file.Read(0, bytes);
        return bytes[..read];
    }
}

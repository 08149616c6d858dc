using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Spooled.Log.Storage;
using Spooled.Testing;

namespace Spooled.Log.Tests.Storage;

/// <summary>What <see cref="SimulatedStorage"/> adds to the storage contract: crashes, fault knobs and observability.</summary>
public sealed class SimulatedStorageTests
{
    private const int Eio = 5;
    private const int Enospc = 28;

    private static readonly CrashMode[] s_modes = Enum.GetValues<CrashMode>();

    [Fact]
    public void Crash_DropUnsynced_UnflushedWritesVanishFlushedOnesStay()
    {
        var storage = new SimulatedStorage();
        using (var file = CreateSynced(storage, "a.seg"))
        {
            file.Write(0, [1, 2, 3]);
            file.Flush();
            file.Write(3, [4, 5]);
            file.Write(0, [9]);
        }

        storage.Crash(new Random(1), CrashMode.DropUnsynced);

        Assert.Equal([1, 2, 3], storage.GetBytes("a.seg"));
        Assert.Equal([1, 2, 3], storage.GetDurableBytes("a.seg"));
        using var reopened = storage.Open("a.seg", LogFileMode.Read);
        Assert.Equal(3, reopened.Length);
    }

    [Fact]
    public void Crash_DropUnsynced_UnflushedTruncateIsUndone()
    {
        var storage = new SimulatedStorage();
        using (var file = CreateSynced(storage, "a.seg"))
        {
            file.Write(0, [1, 2, 3]);
            file.Flush();
            file.Truncate(1);
        }

        storage.Crash(new Random(1), CrashMode.DropUnsynced);

        Assert.Equal([1, 2, 3], storage.GetBytes("a.seg"));
    }

    [Fact]
    public void Crash_FileWithNothingPending_IsUnchangedInEveryMode()
    {
        var original = new SimulatedStorage();
        using (var file = CreateSynced(original, "a.seg"))
        {
            file.Write(0, Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray());
            file.Flush();
        }

        foreach (var mode in s_modes)
        {
            for (var seed = 0; seed < 20; seed++)
            {
                var storage = original.Clone();
                storage.Crash(new Random(seed), mode);
                Assert.Equal(original.GetBytes("a.seg"), storage.GetBytes("a.seg"));
            }
        }
    }

    [Fact]
    public void Crash_DropUnsynced_UnsyncedCreateVanishesEvenWithFlushedData()
    {
        var storage = new SimulatedStorage();
        using (var file = storage.Open("a.seg", LogFileMode.CreateNew))
        {
            file.Write(0, [1, 2, 3]);
            file.Flush();
        }

        storage.Crash(new Random(1), CrashMode.DropUnsynced);

        Assert.False(storage.Exists("a.seg"));
        Assert.Empty(storage.ListFiles());
    }

    [Fact]
    public void Crash_AfterSyncDirectory_CreatedFileSurvivesInEveryMode()
    {
        foreach (var mode in s_modes)
        {
            for (var seed = 0; seed < 20; seed++)
            {
                var storage = new SimulatedStorage();
                storage.Open("a.seg", LogFileMode.CreateNew).Dispose();
                storage.SyncDirectory();

                storage.Crash(new Random(seed), mode);

                Assert.Equal(["a.seg"], storage.ListFiles());
                Assert.Empty(storage.GetBytes("a.seg"));
            }
        }
    }

    [Fact]
    public void Crash_DropUnsynced_UnsyncedDeleteBringsBackDurableContent()
    {
        var storage = new SimulatedStorage();
        using (var file = CreateSynced(storage, "a.seg"))
        {
            file.Write(0, [1, 2]);
            file.Flush();
            file.Write(2, [3]);
        }

        storage.Delete("a.seg");
        Assert.False(storage.Exists("a.seg"));

        storage.Crash(new Random(1), CrashMode.DropUnsynced);

        Assert.Equal([1, 2], storage.GetBytes("a.seg"));
    }

    [Fact]
    public void Crash_DropUnsynced_UnsyncedRenameRestoresBothNames()
    {
        var storage = new SimulatedStorage();
        WriteFlushed(storage, "snapshot.tmp", [1, 1]);
        WriteFlushed(storage, "snapshot", [2, 2, 2]);
        storage.SyncDirectory();

        storage.Rename("snapshot.tmp", "snapshot");
        Assert.Equal(["snapshot"], storage.ListFiles());

        storage.Crash(new Random(1), CrashMode.DropUnsynced);

        Assert.Equal(["snapshot", "snapshot.tmp"], storage.ListFiles());
        Assert.Equal([2, 2, 2], storage.GetBytes("snapshot"));
        Assert.Equal([1, 1], storage.GetBytes("snapshot.tmp"));
    }

    [Fact]
    public void Crash_SyncedRename_Survives()
    {
        var storage = new SimulatedStorage();
        WriteFlushed(storage, "snapshot.tmp", [1, 1]);
        storage.Rename("snapshot.tmp", "snapshot");
        storage.SyncDirectory();

        storage.Crash(new Random(1), CrashMode.DropUnsynced);

        Assert.Equal(["snapshot"], storage.ListFiles());
        Assert.Equal([1, 1], storage.GetBytes("snapshot"));
    }

    [Fact]
    public void Crash_UnsyncedDirectoryOperations_SurviveOnlyAsAPrefix()
    {
        var original = new SimulatedStorage();
        original.Open("1", LogFileMode.CreateNew).Dispose();
        original.Open("2", LogFileMode.CreateNew).Dispose();
        original.Open("3", LogFileMode.CreateNew).Dispose();
        var outcomes = new HashSet<string>();

        for (var seed = 0; seed < 200; seed++)
        {
            var storage = original.Clone();
            storage.Crash(new Random(seed), CrashMode.KeepPrefix);
            outcomes.Add(string.Join(",", storage.ListFiles()));
        }

        Assert.Equal(["", "1", "1,2", "1,2,3"], outcomes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Crash_Torn_LandsWholeSectorsOrNone()
    {
        var data = Enumerable.Range(0, 8 * 512).Select(i => (byte)((i % 255) + 1)).ToArray();
        var original = new SimulatedStorage();
        using (var file = CreateSynced(original, "a.seg"))
        {
            file.Write(0, data);
        }

        var sawPartial = false;
        for (var seed = 0; seed < 100; seed++)
        {
            var storage = original.Clone();
            storage.Crash(new Random(seed), CrashMode.Torn);
            var after = storage.GetBytes("a.seg");

            Assert.Equal(0, after.Length % 512);
            var landed = 0;
            for (var sector = 0; sector < after.Length / 512; sector++)
            {
                var bytes = after.AsSpan(sector * 512, 512);
                var whole = bytes.SequenceEqual(data.AsSpan(sector * 512, 512));
                Assert.True(whole || !bytes.ContainsAnyExcept((byte)0), $"seed {seed}: sector {sector} is mixed");
                landed += whole ? 1 : 0;
            }

            sawPartial |= landed > 0 && landed < 8;
        }

        Assert.True(sawPartial, "no seed tore the write");
    }

    [Fact]
    public void Crash_ZeroTailAndGarbage_GrowFilesThatHadPendingWrites()
    {
        var original = new SimulatedStorage();
        using (var file = CreateSynced(original, "a.seg"))
        {
            file.Write(0, [1, 2, 3]);
            file.Flush();
            file.Write(3, [4]);
        }

        for (var seed = 0; seed < 50; seed++)
        {
            var zeroed = original.Clone();
            zeroed.Crash(new Random(seed), CrashMode.ZeroTail);
            var after = zeroed.GetBytes("a.seg");
            Assert.InRange(after.Length, 4, 4 + 4096);
            Assert.Equal([1, 2, 3], after[..3]);
            Assert.False(after.AsSpan(4).ContainsAnyExcept((byte)0));

            var garbage = original.Clone();
            garbage.Crash(new Random(seed), CrashMode.Garbage);
            Assert.InRange(garbage.GetBytes("a.seg").Length, 4, 4 + 4096);
            Assert.Equal([1, 2, 3], garbage.GetBytes("a.seg")[..3]);
        }
    }

    [Fact]
    public void Crash_OldHandles_ThrowObjectDisposed()
    {
        var storage = new SimulatedStorage();
        var writer = CreateSynced(storage, "a.seg");
        writer.Write(0, [1]);
        writer.Flush();
        var reader = storage.Open("a.seg", LogFileMode.Read);

        storage.Crash(new Random(1), CrashMode.DropUnsynced);

        Assert.Throws<ObjectDisposedException>(() => writer.Write(1, [2]));
        Assert.Throws<ObjectDisposedException>(() => writer.Flush());
        Assert.Throws<ObjectDisposedException>(() => writer.Truncate(0));
        Assert.Throws<ObjectDisposedException>(() => writer.Length);
        Assert.Throws<ObjectDisposedException>(() => reader.Read(0, new byte[1]));
        writer.Dispose();
        reader.Dispose();

        using var reopened = storage.Open("a.seg", LogFileMode.ReadWrite);
        reopened.Write(1, [2]);
        Assert.Equal([1, 2], storage.GetBytes("a.seg"));
    }

    [Fact]
    public void Crash_NullRandom_ThrowsArgumentNull()
    {
        var storage = new SimulatedStorage();

        Assert.Throws<ArgumentNullException>(() => storage.Crash(null!, CrashMode.Torn));
    }

    [Fact]
    public void Crash_SameSeed_GivesTheSameDisk()
    {
        var original = RandomWorkload(12345, out _);

        for (var seed = 0; seed < 20; seed++)
        {
            var first = original.Clone();
            var second = original.Clone();
            first.Crash(new Random(seed), CrashMode.Random);
            second.Crash(new Random(seed), CrashMode.Random);

            AssertSameDisk(first, second);
        }
    }

    [Property(MaxTest = 300)]
    public Property Crash_SameSeed_GivesTheSameDisk_ForAnyWorkload(int workloadSeed, int crashSeed)
    {
        var original = RandomWorkload(workloadSeed, out var synced);

        var first = original.Clone();
        var second = original.Clone();
        first.Crash(new Random(crashSeed), CrashMode.Random);
        second.Crash(new Random(crashSeed), CrashMode.Random);
        var dropped = original.Clone();
        dropped.Crash(new Random(crashSeed), CrashMode.DropUnsynced);

        var same = first.ListFiles().SequenceEqual(second.ListFiles())
            && first.ListFiles().All(name => first.GetBytes(name).AsSpan().SequenceEqual(second.GetBytes(name)));
        var droppedNames = dropped.ListFiles().SequenceEqual(synced);
        return same.Label("same seed, same disk")
            .And(droppedNames.Label($"DropUnsynced keeps the synced names [{string.Join(",", synced)}], got [{string.Join(",", dropped.ListFiles())}]"));
    }

    [Property(MaxTest = 300)]
    public Property Crash_AnyMode_KeepsTheDurablePrefixByteForByte(int workloadSeed, int crashSeed)
    {
        var storage = AppendWorkload(workloadSeed, out var sequential, out var pending);
        var durable = storage.GetDurableBytes("f");
        var current = storage.GetBytes("f");
        var failures = new List<string>();

        foreach (var mode in s_modes)
        {
            var crashed = storage.Clone();
            crashed.Crash(new Random(crashSeed), mode);
            var after = crashed.GetBytes("f");
            void Check(bool ok, string what)
            {
                if (!ok)
                {
                    failures.Add($"{mode}: {what} (durable {durable.Length}, current {current.Length}, after {after.Length})");
                }
            }

            Check(after.Length >= durable.Length && after.AsSpan(0, durable.Length).SequenceEqual(durable), "durable prefix changed");
            Check(after.AsSpan().SequenceEqual(crashed.GetDurableBytes("f")), "not settled after the crash");
            Check(pending || after.AsSpan().SequenceEqual(durable), "changed a file with nothing pending");
            if (mode == CrashMode.DropUnsynced)
            {
                Check(after.AsSpan().SequenceEqual(durable), "kept unsynced bytes");
            }

            if (!sequential)
            {
                continue;
            }

            var common = after.AsSpan().CommonPrefixLength(current);
            switch (mode)
            {
                case CrashMode.KeepPrefix:
                    Check(common == after.Length, "not a prefix of the appends");
                    break;
                case CrashMode.ZeroTail:
                    Check(!after.AsSpan(common).ContainsAnyExcept((byte)0), "tail not zero");
                    Check(after.Length <= current.Length + 4096, "tail too long");
                    break;
                case CrashMode.Garbage:
                    Check(after.Length <= current.Length + 4096, "tail too long");
                    break;
                case CrashMode.Torn:
                    Check(after.Length <= current.Length, "longer than the writes");
                    for (var i = durable.Length; i < after.Length; i++)
                    {
                        Check(after[i] == current[i] || after[i] == 0, $"byte {i} was never written");
                    }

                    break;
                default:
                    break;
            }
        }

        return (failures.Count == 0).Label(string.Join("; ", failures.Take(5)));
    }

    [Fact]
    public void FailNextFlushes_ThrowsEioAndMakesNothingDurable()
    {
        var storage = new SimulatedStorage();
        using var file = CreateSynced(storage, "a.seg");
        file.Write(0, [1]);
        file.Flush();
        file.Write(1, [2]);
        storage.FailNextFlushes(1);

        var error = Assert.Throws<IOException>(file.Flush);

        Assert.Equal("Input/output error", error.Message);
        Assert.Equal(Eio, error.HResult);
        Assert.Equal([1, 2], storage.GetBytes("a.seg"));
        Assert.Equal([1], storage.GetDurableBytes("a.seg"));
        var crashed = storage.Clone();
        crashed.Crash(new Random(1), CrashMode.DropUnsynced);
        Assert.Equal([1], crashed.GetBytes("a.seg"));

        file.Flush();
        Assert.Equal([1, 2], storage.GetDurableBytes("a.seg"));
        Assert.Equal(3, storage.FlushCount);
    }

    [Fact]
    public void FailNextFlushes_CountsDown()
    {
        var storage = new SimulatedStorage();
        using var file = CreateSynced(storage, "a.seg");
        file.Write(0, [1]);
        storage.FailNextFlushes(2);

        Assert.Throws<IOException>(file.Flush);
        Assert.Throws<IOException>(file.Flush);
        file.Flush();

        Assert.Equal([1], storage.GetDurableBytes("a.seg"));
    }

    [Fact]
    public void LieOnNextFlush_ReturnsButCrashLosesTheData()
    {
        var storage = new SimulatedStorage();
        using (var file = CreateSynced(storage, "a.seg"))
        {
            file.Write(0, [1]);
            file.Flush();
            file.Write(1, [2]);
            storage.LieOnNextFlush(1);

            file.Flush();
        }

        Assert.Equal([1], storage.GetDurableBytes("a.seg"));
        Assert.Equal("flush a.seg lied", storage.Journal[^1]);
        storage.Crash(new Random(1), CrashMode.DropUnsynced);
        Assert.Equal([1], storage.GetBytes("a.seg"));
    }

    [Fact]
    public void SetCapacity_WritePastIt_WritesWhatFitsThenThrowsEnospc()
    {
        var storage = new SimulatedStorage();
        WriteFlushed(storage, "a", [1, 2, 3, 4]);
        storage.SetCapacity(10);
        using var file = storage.Open("b", LogFileMode.CreateNew);

        var error = Assert.Throws<IOException>(() => file.Write(0, [5, 6, 7, 8, 9, 10, 11, 12]));

        Assert.Equal("No space left on device", error.Message);
        Assert.Equal(Enospc, error.HResult);
        Assert.Equal([5, 6, 7, 8, 9, 10], storage.GetBytes("b"));
        Assert.Equal(10, storage.UsedBytes);
        Assert.Throws<IOException>(() => file.Write(6, [1]));

        file.Write(0, [0, 0]);
        storage.Delete("a");
        file.Write(6, [1, 2, 3, 4]);
        Assert.Equal(10, file.Length);
    }

    [Fact]
    public void SetCapacity_WriteFarPastTheEnd_WritesNothing()
    {
        var storage = new SimulatedStorage();
        storage.SetCapacity(4);
        using var file = storage.Open("a", LogFileMode.CreateNew);

        Assert.Throws<IOException>(() => file.Write(10, [1]));

        Assert.Equal(0, file.Length);
    }

    [Fact]
    public void FailWritesFrom_WhileEnabled_EveryWriteThrowsEioAndWritesNothing()
    {
        var storage = new SimulatedStorage();
        using var file = CreateSynced(storage, "a.seg");
        file.Write(0, [1]);
        storage.FailWritesFrom(true);

        var error = Assert.Throws<IOException>(() => file.Write(1, [2]));
        Assert.Throws<IOException>(() => file.Write(0, [3]));

        Assert.Equal("Input/output error", error.Message);
        Assert.Equal(Eio, error.HResult);
        Assert.Equal([1], storage.GetBytes("a.seg"));

        storage.FailWritesFrom(false);
        file.Write(1, [2]);
        Assert.Equal([1, 2], storage.GetBytes("a.seg"));
    }

    [Fact]
    public void CorruptAtRest_FlipsTheBitsInDurableAndCurrentContent()
    {
        var storage = new SimulatedStorage();
        using (var file = CreateSynced(storage, "a.seg"))
        {
            file.Write(0, [0x10, 0x20, 0x30]);
            file.Flush();
        }

        storage.CorruptAtRest("a.seg", 1, 0x05);

        Assert.Equal([0x10, 0x25, 0x30], storage.GetBytes("a.seg"));
        Assert.Equal([0x10, 0x25, 0x30], storage.GetDurableBytes("a.seg"));
        storage.Crash(new Random(1), CrashMode.Torn);
        Assert.Equal([0x10, 0x25, 0x30], storage.GetBytes("a.seg"));
    }

    [Fact]
    public void CorruptAtRest_ByteRewrittenSinceTheFlush_ReadsTheNewByte()
    {
        var storage = new SimulatedStorage();
        using var file = CreateSynced(storage, "a.seg");
        file.Write(0, [0x10, 0x20]);
        file.Flush();
        file.Write(1, [0x77]);

        storage.CorruptAtRest("a.seg", 1, 0xFF);

        Assert.Equal([0x10, 0x77], storage.GetBytes("a.seg"));
        Assert.Equal([0x10, 0xDF], storage.GetDurableBytes("a.seg"));
    }

    [Fact]
    public void CorruptAtRest_BeyondTheDurableBytes_ThrowsArgumentOutOfRange()
    {
        var storage = new SimulatedStorage();
        using var file = CreateSynced(storage, "a.seg");
        file.Write(0, [1, 2]);

        Assert.Throws<ArgumentOutOfRangeException>(() => storage.CorruptAtRest("a.seg", 0, 1));
        Assert.Throws<FileNotFoundException>(() => storage.CorruptAtRest("b.seg", 0, 1));
    }

    [Fact]
    public void FailNextDirectorySyncs_ThrowsEioAndLeavesEntriesVolatile()
    {
        var storage = new SimulatedStorage();
        storage.Open("a.seg", LogFileMode.CreateNew).Dispose();
        storage.FailNextDirectorySyncs(1);

        var error = Assert.Throws<IOException>(storage.SyncDirectory);

        Assert.Equal(Eio, error.HResult);
        Assert.Equal(1, storage.DirectorySyncCount);
        storage.Crash(new Random(1), CrashMode.DropUnsynced);
        Assert.Empty(storage.ListFiles());
    }

    [Fact]
    public void Clone_IsIndependentOfTheOriginal()
    {
        var original = new SimulatedStorage();
        using var file = CreateSynced(original, "a.seg");
        file.Write(0, [1]);
        file.Flush();
        file.Write(1, [2]);

        var clone = original.Clone();
        Assert.Equal([1, 2], clone.GetBytes("a.seg"));
        Assert.Equal([1], clone.GetDurableBytes("a.seg"));
        Assert.Equal(original.Journal, clone.Journal);

        clone.Crash(new Random(1), CrashMode.DropUnsynced);
        using (var cloned = clone.Open("a.seg", LogFileMode.ReadWrite))
        {
            cloned.Write(0, [7, 7, 7]);
        }

        clone.Delete("a.seg");
        file.Write(2, [3]);

        Assert.Equal([1, 2, 3], original.GetBytes("a.seg"));
        Assert.Equal([1], original.GetDurableBytes("a.seg"));
        Assert.False(clone.Exists("a.seg"));
        Assert.DoesNotContain("crash", original.Journal);
        original.Crash(new Random(1), CrashMode.KeepPrefix);
        Assert.Equal([1], original.GetBytes("a.seg")[..1]);
    }

    [Fact]
    public void Clone_KeepsFaultKnobs()
    {
        var original = new SimulatedStorage();
        original.FailNextFlushes(1);

        var clone = original.Clone();
        using var file = clone.Open("a", LogFileMode.CreateNew);

        Assert.Throws<IOException>(file.Flush);
    }

    [Fact]
    public void Journal_RecordsOperationsInOrder()
    {
        var storage = new SimulatedStorage();
        using (var file = storage.Open("1.seg", LogFileMode.CreateNew))
        {
            storage.SyncDirectory();
            file.Write(0, new byte[64]);
            file.Write(64, new byte[10]);
            file.Flush();
            file.Truncate(70);
            file.Flush();
        }

        storage.Rename("1.seg", "2.seg");
        storage.Delete("2.seg");
        storage.Delete("2.seg");
        storage.SyncDirectory();

        Assert.Equal(
            [
                "create 1.seg", "syncdir", "write 1.seg 0 64", "write 1.seg 64 10", "flush 1.seg",
                "truncate 1.seg 70", "flush 1.seg", "rename 1.seg 2.seg", "delete 2.seg", "syncdir",
            ],
            storage.Journal);
        Assert.Equal(2, storage.FlushCount);
        Assert.Equal(2, storage.DirectorySyncCount);
    }

    [Fact]
    public void Journal_WriteBeforeSyncDirectory_ShowsTheOrder()
    {
        var storage = new SimulatedStorage();
        using var file = storage.Open("1.seg", LogFileMode.CreateNew);
        file.Write(0, [1]);
        storage.SyncDirectory();

        var journal = storage.Journal.ToList();
        var created = journal.IndexOf("create 1.seg");
        var synced = journal.IndexOf("syncdir");
        var written = journal.FindIndex(entry => entry.StartsWith("write 1.seg ", StringComparison.Ordinal));

        Assert.True(created < written);
        Assert.True(written < synced, "the journal should show the write came before the directory sync");
    }

    private static ILogFile CreateSynced(SimulatedStorage storage, string name)
    {
        var file = storage.Open(name, LogFileMode.CreateNew);
        storage.SyncDirectory();
        return file;
    }

    private static void WriteFlushed(SimulatedStorage storage, string name, byte[] content)
    {
        using var file = storage.Open(name, LogFileMode.CreateNew);
        file.Write(0, content);
        file.Flush();
    }

    private static void AssertSameDisk(SimulatedStorage expected, SimulatedStorage actual)
    {
        Assert.Equal(expected.ListFiles(), actual.ListFiles());
        foreach (var name in expected.ListFiles())
        {
            Assert.Equal(expected.GetBytes(name), actual.GetBytes(name));
        }
    }

    /// <summary>
    /// One synced file "f": a few flushed rounds of arbitrary writes and truncations, then unflushed operations
    /// that never touch the durable bytes: sequential appends, or writes past the durable end (with gaps) and
    /// truncations no shorter than it.
    /// </summary>
    private static SimulatedStorage AppendWorkload(int seed, out bool sequential, out bool pending)
    {
        var rng = new Random(seed);
        var storage = new SimulatedStorage();
        using var file = CreateSynced(storage, "f");
        for (var round = rng.Next(4); round > 0; round--)
        {
            for (var op = rng.Next(1, 5); op > 0; op--)
            {
                if (rng.Next(5) == 0)
                {
                    file.Truncate(rng.NextInt64(file.Length + 100));
                }
                else
                {
                    file.Write(rng.NextInt64(file.Length + 100), RandomBytes(rng, rng.Next(1, 1500)));
                }
            }

            file.Flush();
        }

        var durableLength = file.Length;
        sequential = rng.Next(2) == 0;
        var operations = rng.Next(6);
        pending = operations > 0;
        for (var op = operations; op > 0; op--)
        {
            if (sequential)
            {
                file.Write(file.Length, RandomBytes(rng, rng.Next(1, 1500)));
            }
            else if (rng.Next(4) == 0)
            {
                file.Truncate(durableLength + rng.NextInt64(file.Length - durableLength + 600));
            }
            else
            {
                file.Write(durableLength + rng.NextInt64(file.Length - durableLength + 700), RandomBytes(rng, rng.Next(1, 1500)));
            }
        }

        return storage;
    }

    /// <summary>Random creates, writes, flushes, truncations, renames, deletes and directory syncs over a few names.</summary>
    private static SimulatedStorage RandomWorkload(int seed, out string[] synced)
    {
        string[] names = ["a", "b", "c", "d"];
        var rng = new Random(seed);
        var storage = new SimulatedStorage();
        var handles = new Dictionary<string, ILogFile>(StringComparer.Ordinal);
        synced = [];
        for (var step = rng.Next(5, 60); step > 0; step--)
        {
            var name = names[rng.Next(names.Length)];
            var other = names[rng.Next(names.Length)];
            handles.TryGetValue(name, out var handle);
            switch (rng.Next(8))
            {
                case 0 when handle is null:
                    handles[name] = storage.Open(name, LogFileMode.CreateNew);
                    break;
                case 1 or 2 when handle is not null:
                    handle.Write(rng.NextInt64(handle.Length + 300), RandomBytes(rng, rng.Next(1, 1500)));
                    break;
                case 3 when handle is not null:
                    handle.Flush();
                    break;
                case 4 when handle is not null:
                    handle.Truncate(rng.NextInt64(handle.Length + 300));
                    break;
                case 5 when handle is not null:
                    storage.Delete(name);
                    handles.Remove(name);
                    handle.Dispose();
                    break;
                case 6 when handle is not null && name != other:
                    storage.Rename(name, other);
                    handles.Remove(name);
                    if (handles.Remove(other, out var replaced))
                    {
                        replaced.Dispose();
                    }

                    handles[other] = handle;
                    break;
                case 7:
                    storage.SyncDirectory();
                    synced = [.. storage.ListFiles()];
                    break;
                default:
                    break;
            }
        }

        foreach (var handle in handles.Values)
        {
            handle.Dispose();
        }

        return storage;
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }
}

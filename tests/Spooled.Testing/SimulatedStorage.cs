using Spooled.Log.Storage;

namespace Spooled.Testing;

/// <summary>
/// An in-memory, deterministic <see cref="ILogStorage"/> that models power loss, as SQLite's crash VFS and
/// FoundationDB's AsyncFileNonDurable do, plus knobs that inject I/O faults.
/// </summary>
/// <remarks>
/// Each file keeps its current content (what reads see), its durable content (what survives a crash) and the
/// writes and truncations issued since its last successful flush. Directory changes (create, delete, rename)
/// are visible at once but durable only after <see cref="SyncDirectory"/>. <see cref="Crash"/> then decides,
/// from a caller-supplied <see cref="System.Random"/>, which non-durable changes land: the same seed on the
/// same state always gives the same disk. Fault knobs describe the disk, not the process, so they survive a
/// crash. One lock guards all state; every member is thread safe.
/// </remarks>
public sealed class SimulatedStorage : ILogStorage
{
    private const int EioCode = 5;
    private const int EfbigCode = 27;
    private const int EnospcCode = 28;
    private const int EinvalCode = 22;
    private const int EexistCode = 17;

    private readonly Lock _lock = new();
    private readonly List<string> _journal;
    private readonly List<DirectoryOperation> _unsyncedDirectory;
    private SortedDictionary<string, SimulatedNode> _current;
    private SortedDictionary<string, SimulatedNode> _durable;
    private long _generation;
    private long _flushCount;
    private long _directorySyncCount;
    private int _failFlushes;
    private int _lieFlushes;
    private int _failDirectorySyncs;
    private bool _failWrites;
    private long _capacity = long.MaxValue;
    private readonly ManualResetEventSlim _flushGate = new(initialState: true);

    /// <summary>An empty storage with unlimited capacity and no faults armed.</summary>
    public SimulatedStorage()
    {
        _journal = [];
        _unsyncedDirectory = [];
        _current = new(StringComparer.Ordinal);
        _durable = new(StringComparer.Ordinal);
    }

    /// <summary>How many times <see cref="ILogFile.Flush"/> was called on any file, failed and lying flushes included.</summary>
    public long FlushCount
    {
        get
        {
            lock (_lock)
            {
                return _flushCount;
            }
        }
    }

    /// <summary>How many times <see cref="SyncDirectory"/> was called, failed ones included.</summary>
    public long DirectorySyncCount
    {
        get
        {
            lock (_lock)
            {
                return _directorySyncCount;
            }
        }
    }

    /// <summary>
    /// A snapshot of every operation so far, in order: "create NAME", "write NAME OFFSET LENGTH", "flush NAME",
    /// "truncate NAME LENGTH", "delete NAME", "rename FROM TO", "syncdir" and "crash". An operation that a
    /// fault knob made fail, or a flush that lied, is recorded with a " failed" or " lied" suffix; operations
    /// that change nothing (deleting a missing file, an empty write) are not recorded.
    /// </summary>
    public IReadOnlyList<string> Journal
    {
        get
        {
            lock (_lock)
            {
                return [.. _journal];
            }
        }
    }

    /// <summary>Bytes used: the sum of the current lengths of the files in the directory.</summary>
    public long UsedBytes
    {
        get
        {
            lock (_lock)
            {
                return UsedBytesLocked();
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles()
    {
        lock (_lock)
        {
            return [.. _current.Keys];
        }
    }

    /// <inheritdoc />
    public bool Exists(string name)
    {
        ValidateName(name);
        lock (_lock)
        {
            return _current.ContainsKey(name);
        }
    }

    /// <inheritdoc />
    public ILogFile Open(string name, LogFileMode mode)
    {
        ValidateName(name);
        lock (_lock)
        {
            SimulatedNode? node;
            switch (mode)
            {
                case LogFileMode.Read:
                case LogFileMode.ReadWrite:
                    if (!_current.TryGetValue(name, out node))
                    {
                        throw new FileNotFoundException($"Could not find file '{name}'.", name);
                    }

                    break;
                case LogFileMode.CreateNew:
                    if (_current.ContainsKey(name))
                    {
                        throw new IOException($"The file '{name}' already exists.", EexistCode);
                    }

                    node = new SimulatedNode();
                    _current[name] = node;
                    _unsyncedDirectory.Add(new DirectoryOperation(DirectoryOperationKind.Create, name, null, node));
                    Record($"create {name}");
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown file mode.");
            }

            return new SimulatedFile(this, node, name, mode != LogFileMode.Read, _generation);
        }
    }

    /// <inheritdoc />
    public void Delete(string name)
    {
        ValidateName(name);
        lock (_lock)
        {
            if (_current.Remove(name))
            {
                _unsyncedDirectory.Add(new DirectoryOperation(DirectoryOperationKind.Delete, name, null, null));
                Record($"delete {name}");
            }
        }
    }

    /// <inheritdoc />
    public void Rename(string from, string to)
    {
        ValidateName(from);
        ValidateName(to);
        lock (_lock)
        {
            if (!_current.TryGetValue(from, out var node))
            {
                throw new FileNotFoundException($"Could not find file '{from}'.", from);
            }

            if (string.Equals(from, to, StringComparison.Ordinal))
            {
                return;
            }

            _current.Remove(from);
            _current[to] = node;
            _unsyncedDirectory.Add(new DirectoryOperation(DirectoryOperationKind.Rename, from, to, null));
            Record($"rename {from} {to}");
        }
    }

    /// <inheritdoc />
    public void SyncDirectory()
    {
        lock (_lock)
        {
            _directorySyncCount++;
            if (_failDirectorySyncs > 0)
            {
                _failDirectorySyncs--;
                Record($"syncdir failed");
                throw new IOException("Input/output error", EioCode);
            }

            _durable = new SortedDictionary<string, SimulatedNode>(_current, StringComparer.Ordinal);
            _unsyncedDirectory.Clear();
            Record($"syncdir");
        }
    }

    /// <summary>
    /// Simulates a power loss and restart. Every handle opened before it becomes unusable. A random prefix of
    /// the unsynced directory changes survives (none under <see cref="CrashMode.DropUnsynced"/>); then each
    /// surviving file, in ordinal name order, keeps its durable content plus whatever of its pending operations
    /// <paramref name="mode"/> lets land. Afterwards everything left is durable.
    /// </summary>
    /// <param name="rng">The only source of randomness: the same seed on the same state gives the same disk.</param>
    /// <param name="mode">What happens to writes and truncations not yet flushed.</param>
    public void Crash(Random rng, CrashMode mode)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown crash mode.");
        }

        lock (_lock)
        {
            _generation++;
            var survivingOperations = mode == CrashMode.DropUnsynced ? 0 : rng.Next(_unsyncedDirectory.Count + 1);
            var directory = new SortedDictionary<string, SimulatedNode>(_durable, StringComparer.Ordinal);
            for (var i = 0; i < survivingOperations; i++)
            {
                _unsyncedDirectory[i].ApplyTo(directory);
            }

            var restarted = new SortedDictionary<string, SimulatedNode>(StringComparer.Ordinal);
            foreach (var (name, node) in directory)
            {
                var fileMode = CrashSimulator.Resolve(mode, rng);
                restarted[name] = SimulatedNode.Settled(CrashSimulator.Survivor(node, fileMode, rng));
            }

            _current = restarted;
            _durable = new SortedDictionary<string, SimulatedNode>(restarted, StringComparer.Ordinal);
            _unsyncedDirectory.Clear();
            Record($"crash");
        }

        // Held flushes go on, and find their handles dead: the machine they waited on is gone.
        _flushGate.Set();
    }

    /// <summary>
    /// A deep copy of the whole state (current, durable and pending content, unsynced directory changes,
    /// fault knobs, counters and journal) without any open handle, so one state can be crashed many ways.
    /// </summary>
    public SimulatedStorage Clone()
    {
        lock (_lock)
        {
            var copies = new Dictionary<SimulatedNode, SimulatedNode>(ReferenceEqualityComparer.Instance);
            SimulatedNode Copy(SimulatedNode node)
            {
                if (!copies.TryGetValue(node, out var copy))
                {
                    copy = node.Clone();
                    copies.Add(node, copy);
                }

                return copy;
            }

            var clone = new SimulatedStorage();
            foreach (var (name, node) in _current)
            {
                clone._current.Add(name, Copy(node));
            }

            foreach (var (name, node) in _durable)
            {
                clone._durable.Add(name, Copy(node));
            }

            foreach (var operation in _unsyncedDirectory)
            {
                clone._unsyncedDirectory.Add(operation with { Node = operation.Node is null ? null : Copy(operation.Node) });
            }

            clone._journal.AddRange(_journal);
            clone._flushCount = _flushCount;
            clone._directorySyncCount = _directorySyncCount;
            clone._failFlushes = _failFlushes;
            clone._lieFlushes = _lieFlushes;
            clone._failDirectorySyncs = _failDirectorySyncs;
            clone._failWrites = _failWrites;
            clone._capacity = _capacity;
            return clone;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> flushes (of any file) throw <see cref="IOException"/> "Input/output
    /// error" (HResult 5, EIO) and make nothing durable: the writes stay pending, so a crash may still drop or
    /// tear them (F8).
    /// </summary>
    public void FailNextFlushes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _failFlushes = count;
        }
    }

    /// <summary>
    /// Every flush from now on waits (before it makes anything durable) until <see cref="ReleaseFlushes"/>:
    /// a disk whose syncs take as long as a test needs, to see what is answered before durability.
    /// </summary>
    public void HoldFlushes() => _flushGate.Reset();

    /// <summary>Lets held and later flushes go on (a crash does too).</summary>
    public void ReleaseFlushes() => _flushGate.Set();

    /// <summary>
    /// The next <paramref name="count"/> flushes return normally but make nothing durable (fsyncgate: the
    /// writes stay pending and a crash may lose them).
    /// </summary>
    public void LieOnNextFlush(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _lieFlushes = count;
        }
    }

    /// <summary>The next <paramref name="count"/> calls to <see cref="SyncDirectory"/> throw EIO and make nothing durable.</summary>
    public void FailNextDirectorySyncs(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _failDirectorySyncs = count;
        }
    }

    /// <summary>
    /// Limits the bytes all files may hold together (F10). A write that would pass the limit writes the part
    /// that fits, then throws <see cref="IOException"/> "No space left on device" (HResult 28, ENOSPC).
    /// Truncating upwards never fails, as sparse files do not allocate.
    /// </summary>
    public void SetCapacity(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            _capacity = bytes;
        }
    }

    /// <summary>While <paramref name="enabled"/>, every write throws <see cref="IOException"/> "Input/output error" (HResult 5) and writes nothing.</summary>
    public void FailWritesFrom(bool enabled)
    {
        lock (_lock)
        {
            _failWrites = enabled;
        }
    }

    /// <summary>
    /// Bit rot of data already on disk (F5): XORs the durable byte at <paramref name="offset"/> of file
    /// <paramref name="name"/> with <paramref name="xorMask"/>, and the current byte too unless a pending write
    /// or truncation has replaced it since.
    /// </summary>
    public void CorruptAtRest(string name, long offset, byte xorMask)
    {
        ValidateName(name);
        lock (_lock)
        {
            var node = NodeLocked(name);
            if (offset < 0 || offset >= node.Durable.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"'{name}' has {node.Durable.Length} durable bytes.");
            }

            node.Durable.Xor(offset, xorMask);
            if (!node.Pending.Exists(operation => operation.Touches(offset)))
            {
                node.Current.Xor(offset, xorMask);
            }
        }
    }

    /// <summary>A copy of the current content of file <paramref name="name"/> (what reads see).</summary>
    public byte[] GetBytes(string name)
    {
        ValidateName(name);
        lock (_lock)
        {
            return NodeLocked(name).Current.ToArray();
        }
    }

    /// <summary>Creates or replaces file <paramref name="name"/> with <paramref name="content"/>, durably (content and name).</summary>
    public void WriteFile(string name, ReadOnlySpan<byte> content)
    {
        Delete(name);
        using (var file = Open(name, LogFileMode.CreateNew))
        {
            file.Write(0, content);
            file.Flush();
        }

        SyncDirectory();
    }

    /// <summary>
    /// A copy of the durable content of file <paramref name="name"/>, as of its last successful flush. Whether
    /// the name itself survives a crash depends on <see cref="SyncDirectory"/>.
    /// </summary>
    public byte[] GetDurableBytes(string name)
    {
        ValidateName(name);
        lock (_lock)
        {
            return NodeLocked(name).Durable.ToArray();
        }
    }

    internal long LengthOf(SimulatedFile file)
    {
        lock (_lock)
        {
            CheckUsableLocked(file);
            return file.Node.Current.Length;
        }
    }

    internal int ReadFile(SimulatedFile file, long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            CheckUsableLocked(file);
            return file.Node.Current.Read(offset, buffer);
        }
    }

    internal void WriteFile(SimulatedFile file, long offset, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            CheckUsableLocked(file);
            if (!file.CanWrite)
            {
                throw new UnauthorizedAccessException($"Access to the path '{file.Name}' is denied.");
            }

            if (_failWrites)
            {
                Record($"write {file.Name} {offset} {data.Length} failed");
                throw new IOException("Input/output error", EioCode);
            }

            if (data.IsEmpty)
            {
                return;
            }

            if (offset + data.Length > Array.MaxLength)
            {
                throw new IOException("File too large", EfbigCode);
            }

            var node = file.Node;
            var fits = data.Length;
            if (_capacity != long.MaxValue)
            {
                var free = Math.Max(0, _capacity - UsedBytesLocked());
                var growth = offset + data.Length - node.Current.Length;
                if (growth > free)
                {
                    fits = (int)Math.Clamp(node.Current.Length + free - offset, 0, data.Length);
                }
            }

            if (fits > 0)
            {
                node.Current.Write(offset, data[..fits]);
                node.Pending.Add(PendingOperation.Write(offset, data[..fits]));
                Record($"write {file.Name} {offset} {fits}");
            }

            if (fits < data.Length)
            {
                Record($"write {file.Name} {offset + fits} {data.Length - fits} failed");
                throw new IOException("No space left on device", EnospcCode);
            }
        }
    }

    internal void FlushFile(SimulatedFile file)
    {
        _flushGate.Wait();
        lock (_lock)
        {
            CheckUsableLocked(file);
            _flushCount++;
            if (_failFlushes > 0)
            {
                _failFlushes--;
                Record($"flush {file.Name} failed");
                throw new IOException("Input/output error", EioCode);
            }

            if (_lieFlushes > 0)
            {
                _lieFlushes--;
                Record($"flush {file.Name} lied");
                return;
            }

            file.Node.MakeDurable();
            Record($"flush {file.Name}");
        }
    }

    internal void TruncateFile(SimulatedFile file, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        lock (_lock)
        {
            CheckUsableLocked(file);
            if (!file.CanWrite)
            {
                // What ftruncate on a read-only descriptor gives FileLogFile on Linux.
                throw new IOException("Invalid argument", EinvalCode);
            }

            if (length > Array.MaxLength)
            {
                throw new IOException("File too large", EfbigCode);
            }

            file.Node.Current.SetLength(length);
            file.Node.Pending.Add(PendingOperation.Truncate(length));
            Record($"truncate {file.Name} {length}");
        }
    }

    internal void Close(SimulatedFile file)
    {
        lock (_lock)
        {
            file.IsDisposed = true;
        }
    }

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }
    }

    private SimulatedNode NodeLocked(string name) =>
        _current.TryGetValue(name, out var node) ? node : throw new FileNotFoundException($"Could not find file '{name}'.", name);

    private void CheckUsableLocked(SimulatedFile file)
    {
        if (file.IsDisposed || file.Generation != _generation)
        {
            throw new ObjectDisposedException(file.Name, file.IsDisposed ? "The handle was disposed." : "The handle was opened before a crash.");
        }
    }

    private long UsedBytesLocked()
    {
        long used = 0;
        foreach (var node in _current.Values)
        {
            used += node.Current.Length;
        }

        return used;
    }

    private void Record(FormattableString entry) => _journal.Add(FormattableString.Invariant(entry));
}

using Spooled.Log.Format;
using Spooled.Log.Storage;

namespace Spooled.Log.Snapshots;

/// <summary>
/// Durable snapshots: opaque blobs tagged with the log position they cover, stored beside the
/// segments. A snapshot becomes visible only once whole: it is written to a temporary file, synced,
/// renamed into place, and the directory synced. Loading takes the newest one whose checksums hold
/// and falls back to older ones. The two newest are kept.
/// </summary>
public sealed class SnapshotStore
{
    private const string Extension = ".snap";
    private const string TemporarySuffix = ".tmp";
    private const int Retained = 2;
    private readonly ILogStorage _storage;
    private readonly Lock _lock = new();

    internal SnapshotStore(ILogStorage storage) => _storage = storage;

    /// <summary>Positions of the snapshots present, newest first (not checked).</summary>
    public IReadOnlyList<long> Positions()
    {
        var positions = new List<long>();
        foreach (var name in _storage.ListFiles())
        {
            if (PositionFileName.TryParse(name, Extension, out var position))
            {
                positions.Add(position);
            }
        }

        positions.Sort();
        positions.Reverse();
        return positions;
    }

    /// <summary>
    /// Durably stores <paramref name="blob"/> as the snapshot at <paramref name="position"/>, then
    /// deletes all but the newest two. Returns once the snapshot survives a crash. Slow (it writes
    /// and syncs the whole blob): call it off any latency-sensitive thread.
    /// </summary>
    public void Write(long position, ReadOnlySpan<byte> blob)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        lock (_lock)
        {
            var name = NameFor(position);
            var temporary = name + TemporarySuffix;
            _storage.Delete(temporary);
            using (var file = _storage.Open(temporary, LogFileMode.CreateNew))
            {
                Span<byte> header = stackalloc byte[SnapshotHeader.Size];
                new SnapshotHeader(position, blob.Length, Crc32C.Compute(blob)).WriteTo(header);
                file.Write(0, header);
                file.Write(SnapshotHeader.Size, blob);
                file.Flush();
            }

            _storage.Rename(temporary, name);
            _storage.SyncDirectory();
            Prune();
        }
    }

    /// <summary>
    /// As <see cref="Write(long, ReadOnlySpan{byte})"/>, but the blob is produced in pieces by
    /// <paramref name="fill"/>, each appended to the file as it comes (with the checksum kept
    /// running), so a large snapshot never needs one array of its size. Returns the blob's length.
    /// </summary>
    public long Write(long position, Action<SnapshotSink> fill)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentNullException.ThrowIfNull(fill);
        lock (_lock)
        {
            var name = NameFor(position);
            var temporary = name + TemporarySuffix;
            _storage.Delete(temporary);
            long length;
            var complete = false;
            try
            {
                using var file = _storage.Open(temporary, LogFileMode.CreateNew);
                var sink = new SnapshotSink(file, SnapshotHeader.Size, MaxBlobLength);
                fill(sink);
                length = sink.Length;
                Span<byte> header = stackalloc byte[SnapshotHeader.Size];
                new SnapshotHeader(position, length, sink.Crc).WriteTo(header);
                file.Write(0, header);
                file.Flush();
                complete = true;
            }
            finally
            {
                if (!complete)
                {
                    // A failed snapshot leaves no partial file behind (a restart would clean it up too).
                    _storage.Delete(temporary);
                }
            }

            _storage.Rename(temporary, name);
            _storage.SyncDirectory();
            Prune();
            return length;
        }
    }

    /// <summary>
    /// The largest blob a snapshot may hold: loading reads it into one array. Lowered by tests, which
    /// cannot write gigabytes.
    /// </summary>
    internal long MaxBlobLength { get; set; } = Array.MaxLength;

    /// <summary>The newest intact snapshot, or <see langword="null"/> when there is none.</summary>
    public Snapshot? LoadLatest() => LoadLatest(out _);

    /// <summary>As <see cref="LoadLatest()"/>, also naming the newer snapshots that were damaged and skipped.</summary>
    public Snapshot? LoadLatest(out IReadOnlyList<string> skipped)
    {
        var damaged = new List<string>();
        skipped = damaged;
        foreach (var position in Positions())
        {
            var name = NameFor(position);
            if (TryLoad(name, position, out var snapshot))
            {
                return snapshot;
            }

            damaged.Add(name);
        }

        return null;
    }

    internal void RemoveTemporaryFiles()
    {
        var removed = false;
        foreach (var name in _storage.ListFiles())
        {
            if (name.EndsWith(Extension + TemporarySuffix, StringComparison.Ordinal))
            {
                _storage.Delete(name);
                removed = true;
            }
        }

        if (removed)
        {
            _storage.SyncDirectory();
        }
    }

    internal static string NameFor(long position) => PositionFileName.For(position, Extension);

    private bool TryLoad(string name, long position, out Snapshot? snapshot)
    {
        snapshot = null;
        using var file = _storage.Open(name, LogFileMode.Read);
        Span<byte> headerBytes = stackalloc byte[SnapshotHeader.Size];
        if (file.Read(0, headerBytes) != SnapshotHeader.Size || !SnapshotHeader.TryRead(headerBytes, out var header)
            || header.Position != position || header.Length != file.Length - SnapshotHeader.Size || header.Length > Array.MaxLength)
        {
            return false;
        }

        var data = GC.AllocateUninitializedArray<byte>((int)header.Length);
        if (file.Read(SnapshotHeader.Size, data) != data.Length || Crc32C.Compute(data) != header.BlobCrc)
        {
            return false;
        }

        snapshot = new Snapshot(position, data);
        return true;
    }

    private void Prune()
    {
        var positions = Positions();
        var deleted = false;
        for (var i = Retained; i < positions.Count; i++)
        {
            _storage.Delete(NameFor(positions[i]));
            deleted = true;
        }

        if (deleted)
        {
            _storage.SyncDirectory();
        }
    }
}

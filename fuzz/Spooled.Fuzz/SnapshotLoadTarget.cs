using System.Buffers.Binary;
using Spooled.Log.Format;
using Spooled.Log.Snapshots;
using Spooled.Testing;

namespace Spooled.Fuzz;

/// <summary>
/// Arbitrary bytes as a snapshot file, named for the position its header claims (so an intact one
/// can load), beside an older intact snapshot when the name allows one. Allowed: the fuzzed snapshot
/// exactly as its header describes it, or the older one, or null when there is none; never an
/// exception and never partial state (plan §5.3).
/// </summary>
public sealed class SnapshotLoadTarget : IFuzzTarget
{
    private static readonly byte[] s_fallbackBlob = "the older, intact snapshot"u8.ToArray();

    /// <inheritdoc />
    public string Name => "snapshot-load";

    /// <inheritdoc />
    public void Fuzz(ReadOnlySpan<byte> input)
    {
        var position = input.Length >= 16 ? Math.Max(0, BinaryPrimitives.ReadInt64LittleEndian(input[8..])) : 0;
        var storage = new SimulatedStorage();
        var store = new SnapshotStore(storage);
        var hasFallback = position > 0;
        if (hasFallback)
        {
            store.Write(0, s_fallbackBlob);
        }

        var name = SnapshotStore.NameFor(position);
        storage.WriteFile(name, input);
        var loaded = store.LoadLatest(out var skipped);
        if (loaded is null)
        {
            if (hasFallback)
            {
                throw new FuzzOracleException("A damaged snapshot hid the intact older one.");
            }

            return;
        }

        if (loaded.Position == position)
        {
            if (!SnapshotHeader.TryRead(input, out var header) || header.Position != position || header.Length != input.Length - SnapshotHeader.Size
                || !loaded.Data.Span.SequenceEqual(input[SnapshotHeader.Size..]) || Crc32C.Compute(loaded.Data.Span) != header.BlobCrc)
            {
                throw new FuzzOracleException("A snapshot loaded that its header does not describe exactly.");
            }

            if (skipped.Count != 0)
            {
                throw new FuzzOracleException("The newest snapshot loaded but a snapshot was reported skipped.");
            }

            return;
        }

        if (!hasFallback || loaded.Position != 0 || !loaded.Data.Span.SequenceEqual(s_fallbackBlob) || skipped.Count != 1 || skipped[0] != name)
        {
            throw new FuzzOracleException($"LoadLatest returned position {loaded.Position} with {loaded.Data.Length} byte(s), neither the fuzzed snapshot nor the older one.");
        }
    }
}

namespace Spooled.Testing;

/// <summary>
/// Decides what of one file survives a power loss: its durable content plus whichever of its pending
/// operations the <see cref="CrashMode"/> and the random source let land. Pure given the random source's
/// state, so a seed replays a crash exactly.
/// </summary>
internal static class CrashSimulator
{
    /// <summary>The sector size a torn write lands in: a write lands whole sectors or none of one.</summary>
    public const int SectorSize = 512;

    /// <summary>The most bytes <see cref="CrashMode.Garbage"/> and <see cref="CrashMode.ZeroTail"/> add.</summary>
    public const int MaxTailGrowth = 4096;

    private static readonly CrashMode[] s_concreteModes =
    [
        CrashMode.DropUnsynced, CrashMode.KeepPrefix, CrashMode.Torn, CrashMode.Garbage, CrashMode.ZeroTail,
    ];

    /// <summary>Picks the mode for one file: <paramref name="mode"/> itself, or a random one for <see cref="CrashMode.Random"/>.</summary>
    public static CrashMode Resolve(CrashMode mode, Random rng) =>
        mode == CrashMode.Random ? s_concreteModes[rng.Next(s_concreteModes.Length)] : mode;

    /// <summary>The content of <paramref name="node"/> after the crash, under a concrete <paramref name="mode"/>.</summary>
    public static GrowableBuffer Survivor(SimulatedNode node, CrashMode mode, Random rng)
    {
        var result = node.Durable.Clone();
        var pending = node.Pending;
        if (pending.Count == 0)
        {
            return result;
        }

        switch (mode)
        {
            case CrashMode.DropUnsynced:
                break;
            case CrashMode.KeepPrefix:
                ApplyPrefix(result, pending, rng);
                break;
            case CrashMode.Torn:
                ApplyTorn(result, pending, rng);
                break;
            case CrashMode.Garbage:
                ApplyPrefix(result, pending, rng);
                var garbage = new byte[rng.Next(1, MaxTailGrowth + 1)];
                rng.NextBytes(garbage);
                result.Write(result.Length, garbage);
                break;
            case CrashMode.ZeroTail:
                ApplyPrefix(result, pending, rng);
                result.SetLength(result.Length + rng.Next(1, MaxTailGrowth + 1));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Resolve the mode first.");
        }

        return result;
    }

    /// <summary>
    /// Applies a random-length prefix of the pending byte stream: each write weighs its length and each
    /// truncation one, and the operation the cut falls in lands only up to the cut.
    /// </summary>
    private static void ApplyPrefix(GrowableBuffer result, List<PendingOperation> pending, Random rng)
    {
        long total = 0;
        foreach (var operation in pending)
        {
            total += operation.Data?.Length ?? 1;
        }

        var cut = rng.NextInt64(0, total + 1);
        long consumed = 0;
        foreach (var operation in pending)
        {
            var weight = operation.Data?.Length ?? 1;
            if (consumed + weight <= cut)
            {
                operation.ApplyTo(result);
                consumed += weight;
                continue;
            }

            if (operation.Data is { } data)
            {
                result.Write(operation.Offset, data.AsSpan(0, (int)(cut - consumed)));
            }

            return;
        }
    }

    /// <summary>
    /// Lands each pending write whole, not at all, or sector by sector (sectors aligned to file offsets, each
    /// landing or not), and each truncation or not; the file ends at the furthest landed byte.
    /// </summary>
    private static void ApplyTorn(GrowableBuffer result, List<PendingOperation> pending, Random rng)
    {
        foreach (var operation in pending)
        {
            if (operation.Data is not { } data)
            {
                if (rng.Next(2) == 0)
                {
                    operation.ApplyTo(result);
                }

                continue;
            }

            switch (rng.Next(3))
            {
                case 0:
                    operation.ApplyTo(result);
                    break;
                case 1:
                    break;
                default:
                    var position = operation.Offset;
                    var end = operation.Offset + data.Length;
                    while (position < end)
                    {
                        var sectorEnd = Math.Min(end, ((position / SectorSize) + 1) * SectorSize);
                        if (rng.Next(2) == 0)
                        {
                            var start = (int)(position - operation.Offset);
                            result.Write(position, data.AsSpan(start, (int)(sectorEnd - position)));
                        }

                        position = sectorEnd;
                    }

                    break;
            }
        }
    }
}

namespace Spooled.Broker;

/// <summary>
/// Allocation of the byte arrays the broker holds for a job's lifetime (payloads, results, tags).
/// They live for the retention window, so they go straight to the pinned object heap: the
/// collector never copies them from generation to generation, which at a million jobs held is most
/// of the collection work the broker causes. Callers that hand the broker arrays (the HTTP layer)
/// allocate them the same way.
/// </summary>
public static class HeldBytes
{
    /// <summary>A new long-lived array holding a copy of <paramref name="source"/>.</summary>
    public static byte[] Copy(ReadOnlySpan<byte> source)
    {
        var array = GC.AllocateUninitializedArray<byte>(source.Length, pinned: true);
        source.CopyTo(array);
        return array;
    }
}

using System.Buffers.Binary;

namespace Spooled.Log.Tests.Recovery;

/// <summary>Record payloads that carry a unique id in their first four bytes, so any record read back can be recognised.</summary>
internal static class Payload
{
    /// <summary>The smallest payload: just the id.</summary>
    public const int MinSize = sizeof(int);

    /// <summary>
    /// A payload of <paramref name="size"/> bytes (at least <see cref="MinSize"/>) for <paramref name="id"/>:
    /// a repeating text that LZ4 shrinks, or bytes from a seeded random source that it cannot.
    /// </summary>
    public static byte[] Create(int id, int size, bool compressible)
    {
        var bytes = new byte[Math.Max(size, MinSize)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, id);
        if (compressible)
        {
            for (var i = MinSize; i < bytes.Length; i++)
            {
                bytes[i] = (byte)('a' + ((i + id) % 6));
            }
        }
        else
        {
#pragma warning disable CA5394 // Test data, not security.
            new Random(id).NextBytes(bytes.AsSpan(MinSize));
#pragma warning restore CA5394
        }

        return bytes;
    }

    /// <summary>The id a payload carries, or -1 when it is too short to carry one.</summary>
    public static int IdOf(ReadOnlySpan<byte> payload) => payload.Length >= MinSize ? BinaryPrimitives.ReadInt32LittleEndian(payload) : -1;
}

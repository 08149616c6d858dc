using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Spooled.Broker.State;

/// <summary>
/// The SHA-256 of an API key, as a dictionary key. Lookup by hash is O(1); since the hash of a
/// 256-bit random key is itself unguessable, equality of hashes needs no constant-time compare.
/// </summary>
internal readonly record struct ApiKeyHash(ulong A, ulong B, ulong C, ulong D)
{
    public static ApiKeyHash Of(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        Span<byte> utf8 = stackalloc byte[256];
        if (Encoding.UTF8.GetMaxByteCount(key.Length) <= utf8.Length)
        {
            var written = Encoding.UTF8.GetBytes(key, utf8);
            SHA256.HashData(utf8[..written], hash);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        }

        return FromBytes(hash);
    }

    public static ApiKeyHash FromBytes(ReadOnlySpan<byte> hash) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(hash),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, A);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], B);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], C);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], D);
    }
}

using System.Buffers.Binary;

namespace Spooled.Testing;

/// <summary>
/// The deterministic record that appender <c>appender</c> writes as its <c>seq</c>-th append in the
/// SIGKILL test: written by the child process and recomputed by the test to check every byte.
/// 10..3,000 bytes, half of them compressible (an 8-byte pattern), the rest noise.
/// </summary>
public static class KillPayload
{
    /// <summary>The payload: appender (u16), sequence (i64), then the filler.</summary>
    public static byte[] Create(ushort appender, long seq)
    {
        var state = ((ulong)seq << 16) | appender;
        var payload = new byte[10 + (int)(Next(ref state) % 2991)];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, appender);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(2), seq);
        var filler = payload.AsSpan(10);
        if ((Next(ref state) & 1) == 0)
        {
            var pattern = Next(ref state);
            for (var i = 0; i < filler.Length; i++)
            {
                filler[i] = (byte)(pattern >> (8 * (i & 7)));
            }
        }
        else
        {
            for (var i = 0; i < filler.Length; i++)
            {
                filler[i] = (byte)Next(ref state);
            }
        }

        return payload;
    }

    /// <summary>SplitMix64.</summary>
    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

using System.Security.Cryptography;

namespace Spooled.Broker.Engine;

/// <summary>
/// Random (version 4) UUIDs for job and lease ids, drawn from the system's cryptographic generator
/// 256 at a time. <see cref="Guid.NewGuid"/> costs one system call per id, which was the engine's
/// largest single cost; ids stay just as unguessable. Engine thread only.
/// </summary>
internal sealed class RandomIds
{
    private readonly byte[] _pool = new byte[16 * 256];
    private int _next = 256;

    public Guid Next()
    {
        if (_next == 256)
        {
            RandomNumberGenerator.Fill(_pool);
            _next = 0;
        }

        var bytes = _pool.AsSpan(_next++ * 16, 16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // Version 4 (Guid's byte layout keeps the version in byte 7).
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant.
        return new Guid(bytes);
    }
}

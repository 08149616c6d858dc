namespace Spooled.Benchmarks.Log;

/// <summary>The caller's buffer for the log benchmarks.</summary>
internal static class Payload
{
    /// <summary>
    /// Random (hence incompressible) bytes from a fixed seed: records of 4 KiB and more go through the
    /// log's LZ4 attempt and are stored whole, so the bytes counted are the bytes written.
    /// </summary>
    public static ReadOnlyMemory<byte> Random(int size)
    {
        var bytes = new byte[size];
        new Random(20_240_601).NextBytes(bytes);
        return bytes;
    }
}

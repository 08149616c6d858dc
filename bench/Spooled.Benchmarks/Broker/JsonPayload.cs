using System.Text;

namespace Spooled.Benchmarks.Broker;

/// <summary>The job payloads of the broker benchmarks: plausible JSON objects of an exact size.</summary>
internal static class JsonPayload
{
    private const string Prefix = "{\"type\":\"email.send\",\"to\":\"user@example.com\",\"body\":\"";
    private const string Suffix = "\"}";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static int MinSize => Prefix.Length + Suffix.Length;

    /// <summary>
    /// UTF-8 JSON of exactly <paramref name="size"/> bytes: a fixed prefix, then a body of random base64
    /// characters from <paramref name="seed"/>. Payloads of different seeds differ, so a bulk record
    /// compresses (the log LZ4-compresses records of 4 KiB and more) about as real payloads would, not
    /// like 100 copies of one string.
    /// </summary>
    public static byte[] Create(int size, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinSize);
        var random = new Random(seed);
        var text = new StringBuilder(size).Append(Prefix);
        while (text.Length < size - Suffix.Length)
        {
            text.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return Encoding.UTF8.GetBytes(text.Append(Suffix).ToString());
    }
}

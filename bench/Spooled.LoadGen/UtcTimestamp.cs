using System.Globalization;
using System.Text;

namespace Spooled.LoadGen;

/// <summary>
/// Reads the server's event timestamps straight from UTF-8 bytes. The server writes them with
/// <c>Utf8JsonWriter</c>, i.e. <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c> with trailing zero digits of
/// the fraction dropped; the hand parser covers exactly that, because it runs once per event per
/// subscriber and must not allocate. Anything else falls back to the framework parser.
/// </summary>
internal static class UtcTimestamp
{
    /// <summary>Parses from the start of <paramref name="text"/> up to the closing quote; UTC ticks.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long ticks)
    {
        var end = text.IndexOf((byte)'"');
        if (end < 0)
        {
            ticks = 0;
            return false;
        }

        text = text[..end];
        return TryParseIso(text, out ticks) || TryParseAny(text, out ticks);
    }

    private static bool TryParseIso(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s.Length < 20 || s[^1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day)
            || !Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute) || !Digits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long fraction = 0;
        var rest = s[19..^1];
        if (rest.Length > 0)
        {
            // One to seven digits after the dot, in units of 100 ns once padded to seven.
            if (rest[0] != '.' || rest.Length is < 2 or > 8 || !Digits(rest[1..], out var digits))
            {
                return false;
            }

            fraction = digits;
            for (var i = rest.Length - 1; i < 7; i++)
            {
                fraction *= 10;
            }
        }

        ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks
            + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond) + fraction;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static bool TryParseAny(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s.Length > 64)
        {
            return false;
        }

        Span<char> chars = stackalloc char[64];
        var count = Encoding.UTF8.GetChars(s, chars);
        if (!DateTimeOffset.TryParse(chars[..count], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        ticks = parsed.UtcTicks;
        return true;
    }
}

using System.Globalization;

namespace Spooled.Log.Format;

/// <summary>
/// File names made of a log position in 20 decimal digits and an extension, so that names sort as
/// positions do: segments (<see cref="SegmentName"/>) and snapshots.
/// </summary>
internal static class PositionFileName
{
    public static string For(long position, string extension) =>
        position.ToString("D20", CultureInfo.InvariantCulture) + extension;

    /// <summary>Parses a name made by <see cref="For"/> with <paramref name="extension"/>; other names give <see langword="false"/>.</summary>
    public static bool TryParse(string name, string extension, out long position)
    {
        position = 0;
        return name.Length == 20 + extension.Length
            && name.EndsWith(extension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }
}

namespace Spooled.Log.Format;

/// <summary>Segment file names: the base position in 20 decimal digits, so names sort as positions do.</summary>
internal static class SegmentName
{
    /// <summary>The extension of segment files.</summary>
    public const string Extension = ".seg";

    /// <summary>The name of the segment whose header starts at <paramref name="basePosition"/>.</summary>
    public static string For(long basePosition) => PositionFileName.For(basePosition, Extension);

    /// <summary>Parses a segment file name; other files give <see langword="false"/>.</summary>
    public static bool TryParse(string name, out long basePosition) => PositionFileName.TryParse(name, Extension, out basePosition);
}

using Spooled.Log.Format;
using Spooled.Log.Snapshots;

namespace Spooled.Log.Tests.Format;

/// <summary>
/// Pins every persisted enum value and size. A failure here means the on-disk format changed:
/// add a FormatVersion instead of editing these values.
/// </summary>
public sealed class FormatStabilityTests
{
    [Fact]
    public void PersistedValues_AreStable()
    {
        Assert.Equal(1, (byte)RecordType.Data);
        Assert.Equal(2, (byte)RecordType.Commit);
        Assert.Equal(0, (byte)RecordFlags.None);
        Assert.Equal(1, (byte)RecordFlags.Lz4);
        Assert.Equal(1, (byte)FormatVersion.V1);
        Assert.Equal(16, RecordHeader.Size);
        Assert.Equal(16, CommitMarker.BodySize);
        Assert.Equal(32, SegmentHeader.Size);
        Assert.Equal(0x474C5053u, SegmentHeader.Magic);
        Assert.Equal(32, SnapshotHeader.Size);
        Assert.Equal(0x4E535053u, SnapshotHeader.Magic);
    }

    [Fact]
    public void DurabilityPolicy_ParsesConfigurationText()
    {
        Assert.Equal(DurabilityPolicy.Fsync, DurabilityPolicy.Parse("fsync"));
        Assert.Equal(DurabilityPolicy.None, DurabilityPolicy.Parse("NONE"));
        var interval = DurabilityPolicy.Parse("interval:25");
        Assert.Equal(DurabilityMode.Interval, interval.Mode);
        Assert.Equal(TimeSpan.FromMilliseconds(25), interval.SyncInterval);
        Assert.Equal("interval:25", interval.ToString());
        Assert.Throws<FormatException>(() => DurabilityPolicy.Parse("interval:0"));
        Assert.Throws<FormatException>(() => DurabilityPolicy.Parse("sometimes"));
    }
}

namespace Spooled.Fuzz;

/// <summary>Every fuzz target, for drivers and for the unit test that runs them all (and fails when one is missing here).</summary>
public static class FuzzTargets
{
    /// <summary>One instance of each target; targets are stateless, so these can be shared.</summary>
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new RecordDecoderTarget(),
        new SegmentRecoveryTarget(),
        new SnapshotLoadTarget(),
    ];
}

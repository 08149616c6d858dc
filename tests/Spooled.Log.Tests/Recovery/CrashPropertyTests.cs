using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// Model-based crash testing of the log (reliability plan §2.2 I1-I8, §4.2): random sequences of awaited and
/// un-awaited appends, clean restarts and power losses in every <see cref="Spooled.Testing.CrashMode"/>, some
/// killing the process part way through a write, a roll or a recovery, checked against the two-bound model
/// (see <see cref="CrashScenarioRunner"/>). Some crashes also flip one bit of the recovered, synced log and
/// require exactly the reaction the recovery policy states.
/// </summary>
public sealed class CrashPropertyTests
{
    /// <summary>Property cases; each runs <see cref="CrashScenarioGen.BatchSize"/> independent scenarios side by side.</summary>
    private const int Cases = 2_500;

    /// <summary>10,000 generated scenarios per run (2,500 cases of 4).</summary>
    [Property(MaxTest = Cases, QuietOnSuccess = true)]
    public Property AnyAppendsAndPowerLosses_KeepEveryAcknowledgedRecord_AndNothingNeverAppended() =>
        Prop.ForAll(CrashScenarioGen.Batches(), CrashScenarioRunner.RunAsync);
}

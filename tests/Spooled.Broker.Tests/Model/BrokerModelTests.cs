using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Spooled.Broker.Tests.Model;

/// <summary>
/// Model-based properties: random command sequences run against the broker and against
/// <see cref="BrokerModel"/>, compared after every step. FsCheck prints the failing sequence,
/// shrunk, one step per line.
/// </summary>
public sealed class BrokerModelTests
{
    /// <summary>Every operation awaited before the next, crashes included: the broker must match the model exactly.</summary>
    [Property(MaxTest = 1400, QuietOnSuccess = true)]
    public Property Awaited_operations_match_the_model_across_crashes_and_restarts() =>
        Prop.ForAll(StepGenerators.Sequences(bursts: false), ModelRunner.Run);

    /// <summary>
    /// Some operations are submitted without awaiting and cut off by a power loss: each may or may
    /// not survive, but acknowledged ones do, and a lost claim or completion only leads to redelivery.
    /// </summary>
    [Property(MaxTest = 600, QuietOnSuccess = true)]
    public Property Unacknowledged_operations_cut_by_a_crash_survive_whole_or_not_at_all() =>
        Prop.ForAll(StepGenerators.Sequences(bursts: true), ModelRunner.Run);
}

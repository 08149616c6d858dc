namespace Spooled.Broker.Tests.Model;

/// <summary>A generated command sequence; prints one numbered step per line when FsCheck reports it.</summary>
internal sealed class StepSequence(IReadOnlyList<Step> steps)
{
    public IReadOnlyList<Step> Steps { get; } = steps;

    public override string ToString() =>
        $"{Steps.Count} steps:" + Environment.NewLine + string.Join(Environment.NewLine, Steps.Select((step, i) => $"  {i + 1,2}. {step}"));
}

namespace Spooled.Log.Tests.Recovery;

/// <summary>A generated list of steps; the runner always ends it with a final crash and check.</summary>
internal sealed record CrashScenario(IReadOnlyList<CrashStep> Steps, int FinalSeed)
{
    public override string ToString() =>
        $"{Steps.Count} step(s), final seed {FinalSeed}:{Environment.NewLine}"
        + string.Join(Environment.NewLine, Steps.Select((step, i) => $"  {i + 1,2}. {step}"));
}

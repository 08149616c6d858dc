namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// Scenarios run side by side on independent disks, so one property case keeps both cores busy while each
/// scenario mostly waits on hand-offs between its appender and the log's writer thread.
/// </summary>
internal sealed record CrashScenarioBatch(IReadOnlyList<CrashScenario> Scenarios)
{
    public override string ToString() =>
        string.Join(Environment.NewLine, Scenarios.Select((scenario, i) => $"Scenario {i + 1}: {scenario}"));
}

namespace Spooled.LoadGen;

/// <summary>One measured stretch of a run: how many jobs moved in how long.</summary>
internal sealed record PhaseReport(string Name, long Jobs, double Seconds, double JobsPerSecond)
{
    public static PhaseReport Of(string name, long jobs, long startTimestamp, long endTimestamp)
    {
        var seconds = Clock.Seconds(startTimestamp, endTimestamp);
        return new PhaseReport(name, jobs, Math.Round(seconds, 3), seconds > 0 ? Math.Round(jobs / seconds, 1) : 0);
    }
}

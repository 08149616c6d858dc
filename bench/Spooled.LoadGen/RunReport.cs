namespace Spooled.LoadGen;

/// <summary>Everything a run measured, in the shape <c>--json</c> prints, so scripts and the table read one source.</summary>
internal sealed class RunReport
{
    public string Workload { get; set; } = "";

    public string Queue { get; set; } = "";

    public long Jobs { get; set; }

    public int PayloadBytes { get; set; }

    public int Producers { get; set; }

    public int Batch { get; set; }

    public int Workers { get; set; }

    public int ClaimLimit { get; set; }

    public int WaitSecs { get; set; }

    public string Ack { get; set; } = "";

    public int? Rate { get; set; }

    public int? DurationSecs { get; set; }

    public long Enqueued { get; set; }

    public long Completed { get; set; }

    public long EmptyClaims { get; set; }

    public List<PhaseReport> Phases { get; set; } = [];

    public SortedDictionary<string, long> Errors { get; set; } = [];

    public long ErrorTotal { get; set; }

    public LatencyReport? EnqueueLatency { get; set; }

    public LatencyReport? EnqueueToClaimLatency { get; set; }

    /// <summary>Steady: how late each request left against its intended time, the generator's own share of the latencies.</summary>
    public LatencyReport? SendLag { get; set; }

    /// <summary>The live-event subscribers' figures; null without <c>--sse-subscribers</c>.</summary>
    public SseReport? Sse { get; set; }

    public long? ServerPeakRssBytes { get; set; }

    public long? ServerHwmBytes { get; set; }

    public bool Stalled { get; set; }

    public bool Interrupted { get; set; }

    public double ElapsedSeconds { get; set; }
}

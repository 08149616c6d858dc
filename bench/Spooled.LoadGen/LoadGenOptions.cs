namespace Spooled.LoadGen;

/// <summary>
/// Everything a run needs, already validated: the workloads read it without re-checking ranges.
/// Defaults here are the ones <c>--help</c> prints.
/// </summary>
internal sealed class LoadGenOptions
{
    public Uri Url { get; set; } = new("http://127.0.0.1:8080/");

    public string ApiKey { get; set; } = "";

    public Workload Workload { get; set; } = Workload.Pipeline;

    /// <summary>A fresh queue per run by default, so earlier runs' leftovers cannot inflate the figures.</summary>
    public string Queue { get; set; } = "loadgen-" + Guid.NewGuid().ToString("N")[..8];

    public int Jobs { get; set; } = 100_000;

    public int PayloadBytes { get; set; } = 200;

    public int Producers { get; set; } = 4;

    public int Batch { get; set; } = 1;

    public int Workers { get; set; } = 4;

    public int ClaimLimit { get; set; } = 10;

    public int WaitSecs { get; set; } = 2;

    public int LeaseSecs { get; set; } = 30;

    public AckMode Ack { get; set; } = AckMode.Single;

    public int Rate { get; set; } = 1000;

    public int DurationSecs { get; set; } = 10;

    public int MaxInFlight { get; set; } = 10_000;

    public int StallSecs { get; set; } = 30;

    /// <summary>Live-event streams held open during the workload, to measure fan-out; 0 = none.</summary>
    public int SseSubscribers { get; set; }

    /// <summary>The streams' <c>events</c> filter; JobCreated is the type whose latency is measured.</summary>
    public string SseEvents { get; set; } = "job.created";

    public int? Pid { get; set; }

    public bool Progress { get; set; }

    public bool Json { get; set; }

    public bool Help { get; set; }
}

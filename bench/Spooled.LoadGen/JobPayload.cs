namespace Spooled.LoadGen;

/// <summary>The part of a claimed payload a worker reads: the intended send time, for enqueue-to-claim latency.</summary>
internal sealed class JobPayload
{
    public string? T { get; set; }
}

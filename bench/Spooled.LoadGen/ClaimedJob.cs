namespace Spooled.LoadGen;

/// <summary>One job of a claim answer, cut to what a worker needs to acknowledge it.</summary>
internal sealed class ClaimedJob
{
    public string Id { get; set; } = "";

    public string LeaseId { get; set; } = "";

    public JobPayload? Payload { get; set; }
}

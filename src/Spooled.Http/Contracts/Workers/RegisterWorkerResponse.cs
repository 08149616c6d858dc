namespace Spooled.Http.Contracts.Workers;

/// <summary>The registered worker's id and the intervals it should use.</summary>
public sealed record RegisterWorkerResponse(string Id, string QueueName, int LeaseDurationSecs, int HeartbeatIntervalSecs);

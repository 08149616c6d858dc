namespace Spooled.Http.Contracts.Admin;

/// <summary>Workers that are not offline.</summary>
public sealed record AdminWorkerStats(long Total, long Healthy, long Degraded);

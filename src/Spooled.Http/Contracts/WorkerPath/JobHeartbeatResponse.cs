namespace Spooled.Http.Contracts.WorkerPath;

/// <summary>The lease was extended until <c>lease_expires_at</c>.</summary>
public sealed record JobHeartbeatResponse(bool Success, DateTime LeaseExpiresAt);

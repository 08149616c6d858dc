namespace Spooled.Http.Contracts.Admin;

/// <summary>The server process.</summary>
public sealed record AdminSystemStats(string ApiVersion, long UptimeSeconds);

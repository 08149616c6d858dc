namespace Spooled.Http.Contracts;

/// <summary>The health answer.</summary>
public sealed record HealthResponse(string Status, bool Database, bool Cache, string? Version);

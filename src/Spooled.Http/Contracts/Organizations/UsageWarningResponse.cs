namespace Spooled.Http.Contracts.Organizations;

/// <summary>A resource close to (or at) its limit.</summary>
public sealed record UsageWarningResponse(string Resource, string Message, string Severity);

namespace Spooled.Http.Contracts.Admin;

/// <summary>Organizations on one plan.</summary>
public sealed record AdminPlanCount(string Plan, long Count);

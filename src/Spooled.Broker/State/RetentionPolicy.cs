namespace Spooled.Broker.State;

/// <summary>How long finished jobs are kept: whichever limit is reached first removes the oldest.</summary>
internal readonly record struct RetentionPolicy(long WindowTicks, int MaxFinishedPerOrganization);

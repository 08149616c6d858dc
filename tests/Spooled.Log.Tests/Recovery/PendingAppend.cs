namespace Spooled.Log.Tests.Recovery;

/// <summary>An append started without waiting: the ids of its records and its completion.</summary>
internal sealed record PendingAppend(IReadOnlyList<int> Ids, Task<long> Task);

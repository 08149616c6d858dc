namespace Spooled.Broker;

/// <summary>Per-item outcomes of a bulk enqueue, in item order.</summary>
public sealed record BulkEnqueueResult(IReadOnlyList<BulkItemResult> Succeeded, IReadOnlyList<BulkItemResult> Failed);

namespace Spooled.LoadGen;

/// <summary>
/// The counts of a bulk enqueue or batch acknowledgement answer; both routes answer 200 even when
/// some items failed, so these, not the status code, say how many jobs moved.
/// </summary>
internal sealed class ItemCounts
{
    public int SuccessCount { get; set; }

    public int FailureCount { get; set; }
}

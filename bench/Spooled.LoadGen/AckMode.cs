namespace Spooled.LoadGen;

/// <summary>How a worker acknowledges what it claimed; batching trades request count for larger log records.</summary>
internal enum AckMode
{
    /// <summary>One <c>POST /jobs/{id}/complete</c> per job.</summary>
    Single,

    /// <summary>One <c>POST /jobs/batch/complete</c> per claim.</summary>
    Batch,
}

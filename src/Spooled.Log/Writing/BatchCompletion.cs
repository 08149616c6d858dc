namespace Spooled.Log.Writing;

/// <summary>
/// One thread-pool work item that completes a slice of a batch's waiters. A large batch is split in
/// two so that both cores resume appenders (whose continuations run inline and stage their next
/// record) while the writer is already syncing the next batch.
/// </summary>
internal sealed class BatchCompletion : IThreadPoolWorkItem
{
    private readonly CommitBatch _batch;

    public BatchCompletion(CommitBatch batch) => _batch = batch;

    public int Start { get; set; }

    public int End { get; set; }

    public void Execute() => _batch.CompleteSlice(Start, End);
}

namespace Spooled.Testing;

/// <summary>
/// One simulated file's data, independent of the names it is reachable by (an inode): what reads see, what
/// survives a power loss, and what was issued in between.
/// </summary>
internal sealed class SimulatedNode
{
    public SimulatedNode()
        : this(new GrowableBuffer(), new GrowableBuffer(), [])
    {
    }

    private SimulatedNode(GrowableBuffer current, GrowableBuffer durable, List<PendingOperation> pending)
    {
        Current = current;
        Durable = durable;
        Pending = pending;
    }

    /// <summary>The volatile content (page cache): durable content with every pending operation applied.</summary>
    public GrowableBuffer Current { get; }

    /// <summary>The content as of the last successful flush.</summary>
    public GrowableBuffer Durable { get; }

    /// <summary>Writes and truncations since the last successful flush, in issue order.</summary>
    public List<PendingOperation> Pending { get; }

    /// <summary>A file whose current and durable content are both <paramref name="content"/>.</summary>
    public static SimulatedNode Settled(GrowableBuffer content) => new(content.Clone(), content, []);

    public SimulatedNode Clone() => new(Current.Clone(), Durable.Clone(), [.. Pending]);

    /// <summary>Makes the current content durable by replaying the pending operations onto the durable copy.</summary>
    public void MakeDurable()
    {
        foreach (var operation in Pending)
        {
            operation.ApplyTo(Durable);
        }

        Pending.Clear();
    }
}

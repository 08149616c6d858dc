namespace Spooled.Broker.State;

/// <summary>An entry of an <see cref="IndexedHeap{TEntry}"/>: a job and the key it is ordered by.</summary>
internal interface IHeapEntry<TEntry>
    where TEntry : struct, IHeapEntry<TEntry>
{
    Job Job { get; }

    /// <summary>Whether <paramref name="a"/> comes out of the heap before <paramref name="b"/>.</summary>
    static abstract bool Before(in TEntry a, in TEntry b);
}

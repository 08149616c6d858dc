namespace Spooled.Http.Realtime;

/// <summary>One live stream's slot in the <see cref="StreamLimiter"/>; disposing gives it back (once).</summary>
internal sealed class StreamLease(Action release) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}

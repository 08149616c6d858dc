using Spooled.Http.Realtime;

namespace Spooled.Http.Tests.Realtime;

/// <summary>
/// The streams' wake-up: one kept at most, and a waiter's continuation runs on the waking thread,
/// which is what lets one pulse run a thousand streams' turns without the thread pool.
/// </summary>
public sealed class WakeSignalTests
{
    [Fact]
    public void A_wake_up_before_the_wait_is_kept_but_only_one()
    {
        var signal = new WakeSignal();
        signal.Set();
        signal.Set();

        Assert.True(signal.WaitAsync().AsTask().IsCompletedSuccessfully);
        Assert.False(signal.WaitAsync().AsTask().IsCompleted);
    }

    [Fact]
    public void A_waiter_continues_on_the_thread_that_wakes_it()
    {
        var signal = new WakeSignal();
        var continuedOn = 0;
        async Task WaitAndNoteAsync()
        {
            await signal.WaitAsync().ConfigureAwait(false);
            continuedOn = Environment.CurrentManagedThreadId;
        }

        var waiter = WaitAndNoteAsync(); // Runs here up to the wait.
        Assert.False(waiter.IsCompleted);

        var thread = new Thread(signal.Set);
        thread.Start();
        thread.Join();

        Assert.True(waiter.IsCompletedSuccessfully);
        Assert.Equal(thread.ManagedThreadId, continuedOn);
    }
}

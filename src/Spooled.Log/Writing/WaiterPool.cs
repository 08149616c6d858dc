namespace Spooled.Log.Writing;

/// <summary>A bounded stack of reusable <see cref="AppendWaiter"/>s, so steady-state appends allocate nothing.</summary>
internal sealed class WaiterPool
{
    private const int MaxPooled = 16_384;
    private readonly Lock _lock = new();
    private AppendWaiter[] _items = new AppendWaiter[256];
    private int _count;

    public AppendWaiter Rent()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                var waiter = _items[--_count];
                _items[_count] = null!;
                return waiter;
            }
        }

        return new AppendWaiter(this);
    }

    public void Return(AppendWaiter waiter)
    {
        lock (_lock)
        {
            if (_count == _items.Length)
            {
                if (_count >= MaxPooled)
                {
                    return;
                }

                Array.Resize(ref _items, _items.Length * 2);
            }

            _items[_count++] = waiter;
        }
    }
}

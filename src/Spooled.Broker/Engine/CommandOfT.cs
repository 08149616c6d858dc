namespace Spooled.Broker.Engine;

/// <summary>A command computing a <typeparamref name="T"/> on the engine thread.</summary>
internal sealed class Command<T>(Func<BrokerEngine, T> work) : Command
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _refusal;

    public Task<T> Task => _completion.Task;

    public override void Execute(BrokerEngine engine)
    {
        var records = engine.RecordCount;
        try
        {
            _result = work(engine);
        }
        catch (Exception error) when (engine.RecordCount == records)
        {
            // Nothing was written, so the state is untouched: the caller hears why. An exception
            // after a record was applied is not caught here: the state may be half changed, and the
            // broker stops rather than carry on from it.
            _refusal = error;
        }
    }

    public override void Complete()
    {
        if (_refusal is not null)
        {
            _completion.TrySetException(_refusal);
        }
        else
        {
            _completion.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);
}

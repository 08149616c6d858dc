namespace Spooled.Broker.Engine;

/// <summary>A request waiting for the engine thread, and then for the durability of what it wrote.</summary>
internal abstract class Command
{
    /// <summary>True while the command waits for something (a long-poll claim) and is in no group.</summary>
    public virtual bool Parked => false;

    /// <summary>Runs on the engine thread; a refusal is kept as the command's outcome.</summary>
    public abstract void Execute(BrokerEngine engine);

    /// <summary>Delivers the outcome (the log has made everything before it durable).</summary>
    public abstract void Complete();

    /// <summary>Delivers a failure instead of the outcome.</summary>
    public abstract void Fail(Exception error);
}

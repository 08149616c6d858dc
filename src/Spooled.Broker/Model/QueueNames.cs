using Spooled.Broker.Engine;

namespace Spooled.Broker;

/// <summary>The rule for queue names, for front ends that check a name before asking the broker (stream filters).</summary>
public static class QueueNames
{
    /// <summary>1..100 Unicode letters or digits, '-', '_' and '.', not starting with '.' or '-'.</summary>
    public static bool IsValid(string? name) => Validation.IsQueueName(name);
}

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// Which types the process allocates, from the runtime's GCAllocationTick events (one per ~100 KB
/// allocated, naming the type that crossed the threshold): a profiler-free answer to "what are the
/// bytes per append?". The listener allocates too, so a run that samples does not report its own
/// bytes per append as a clean figure.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    /// <summary>The sampled bytes per type, largest first, as "type:KiB" items.</summary>
    public string Top(int count) => string.Join(
        ',',
        _bytesByType.OrderByDescending(pair => pair.Value)
            .Take(count)
            .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key}:{pair.Value / 1024}KiB")));

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        string type = "?";
        long amount = 0;
        var large = false;
        for (var i = 0; i < eventData.PayloadNames.Count; i++)
        {
            switch (eventData.PayloadNames[i])
            {
                case "TypeName":
                    type = eventData.Payload[i] as string ?? "?";
                    break;
                case "AllocationAmount64":
                    amount = Convert.ToInt64(eventData.Payload[i], CultureInfo.InvariantCulture);
                    break;
                case "AllocationKind":
                    large = Convert.ToInt32(eventData.Payload[i], CultureInfo.InvariantCulture) == 1;
                    break;
            }
        }

        _bytesByType.AddOrUpdate(large ? type + "(LOH)" : type, amount, (_, total) => total + amount);
    }
}

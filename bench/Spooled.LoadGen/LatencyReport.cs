namespace Spooled.LoadGen;

/// <summary>Percentiles of one latency, in milliseconds.</summary>
internal sealed record LatencyReport(long Count, double P50Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs);

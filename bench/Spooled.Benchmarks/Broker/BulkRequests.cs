using Spooled.Broker;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// The bulk enqueue requests that make up <c>jobs</c> jobs: batches of 100 (the last one smaller), from
/// a pool of 1,000 distinct payloads (ten distinct requests, used in turn). The requests and their
/// <see cref="JobSpec"/>s are immutable and reused: the broker reads them on its thread and copies the
/// payload into its own array, keeping none of them, so the benchmark allocates nothing per job to
/// enqueue and the allocations measured are the broker's.
/// </summary>
internal sealed class BulkRequests
{
    private const int DistinctRequests = 10;
    private readonly BulkEnqueueRequest[] _full = new BulkEnqueueRequest[DistinctRequests];
    private readonly BulkEnqueueRequest? _last;

    public BulkRequests(int payloadSize, int jobs)
    {
        Jobs = jobs;
        var specs = new JobSpec[DistinctRequests * BenchBroker.BulkSize];
        for (var i = 0; i < specs.Length; i++)
        {
            specs[i] = new JobSpec { Payload = JsonPayload.Create(payloadSize, seed: i) };
        }

        for (var r = 0; r < DistinctRequests; r++)
        {
            _full[r] = Request(specs.AsSpan(r * BenchBroker.BulkSize, BenchBroker.BulkSize));
        }

        var remainder = jobs % BenchBroker.BulkSize;
        _last = remainder == 0 ? null : Request(specs.AsSpan(0, remainder));
        Count = (jobs + BenchBroker.BulkSize - 1) / BenchBroker.BulkSize;
    }

    public int Jobs { get; }

    /// <summary>Number of requests.</summary>
    public int Count { get; }

    public BulkEnqueueRequest this[int index] => index == Count - 1 && _last is not null ? _last : _full[index % DistinctRequests];

    /// <summary>Every item must be accepted: a refusal means the benchmark measured the wrong thing.</summary>
    public static void ThrowIfRefused(BulkEnqueueResult result)
    {
        if (result.Failed.Count > 0)
        {
            throw new InvalidOperationException($"The broker refused {result.Failed.Count} bulk items: {result.Failed[0].Error}");
        }
    }

    private static BulkEnqueueRequest Request(ReadOnlySpan<JobSpec> specs) =>
        new() { QueueName = BenchBroker.Queue, Jobs = specs.ToArray() };
}

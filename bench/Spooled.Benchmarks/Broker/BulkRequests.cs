using Spooled.Broker;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// The bulk enqueue requests that make up <c>jobs</c> jobs: batches of 100 (the last one smaller), from
/// a pool of 1,000 distinct payloads (ten distinct requests, used in turn). Each request handed out
/// carries fresh copies of its payload arrays, allocated as the server allocates those it reads from
/// each HTTP request (<see cref="HeldBytes"/>): the broker keeps
/// the array it is given (it does not copy it again), so sharing arrays between jobs would make each
/// job look 200 bytes cheaper than it is. Those copies are counted as the harness's allocations.
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

    public BulkEnqueueRequest this[int index] => Fresh(index == Count - 1 && _last is not null ? _last : _full[index % DistinctRequests]);

    private static BulkEnqueueRequest Fresh(BulkEnqueueRequest template)
    {
        var specs = new JobSpec[template.Jobs.Count];
        for (var i = 0; i < specs.Length; i++)
        {
            specs[i] = new JobSpec { Payload = HeldBytes.Copy(template.Jobs[i].Payload) };
        }

        return new BulkEnqueueRequest { QueueName = template.QueueName, Jobs = specs };
    }

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

using System.Text.Json;

namespace Spooled.Broker.Tests.Model;

/// <summary>Everything the test reads back from the broker after a step, indexed by id and by payload number.</summary>
internal sealed class ObservedState
{
    private readonly Dictionary<Guid, JobView> _byId = [];
    private readonly Dictionary<int, JobView> _byPayload = [];

    public ObservedState(IReadOnlyList<JobView> jobs, JobCounts counts, IReadOnlyList<QueueView> queues)
    {
        Jobs = jobs;
        Counts = counts;
        Queues = queues;
        foreach (var job in jobs)
        {
            _byId[job.Id] = job;
            if (!_byPayload.TryAdd(PayloadNumber(job.Payload), job))
            {
                DuplicatePayloads.Add(PayloadNumber(job.Payload));
            }
        }
    }

    public IReadOnlyList<JobView> Jobs { get; }

    public JobCounts Counts { get; }

    public IReadOnlyList<QueueView> Queues { get; }

    /// <summary>Payload numbers held by more than one job: one enqueue stored twice.</summary>
    public List<int> DuplicatePayloads { get; } = [];

    public JobView? ById(Guid id) => _byId.GetValueOrDefault(id);

    public JobView? ByPayload(int n) => _byPayload.GetValueOrDefault(n);

    public static byte[] Payload(int n) => JsonSerializer.SerializeToUtf8Bytes(new { n });

    public static byte[] Result(int n) => JsonSerializer.SerializeToUtf8Bytes(new { done = n });

    public static int PayloadNumber(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.GetProperty("n").GetInt32();
    }
}

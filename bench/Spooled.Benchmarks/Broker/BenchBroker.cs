using System.Diagnostics;
using System.Runtime;
using Spooled.Benchmarks.Log;
using Spooled.Broker;
using Spooled.Log;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// A broker on a fresh directory of the real disk (see <see cref="BenchDirectory"/>), with one
/// organization and one queue, and the log's disk calls counted. Disposing closes the broker and
/// deletes the directory.
/// </summary>
internal sealed class BenchBroker : IAsyncDisposable
{
    public const string Queue = "bench";
    public const int BulkSize = 100;

    private readonly BenchDirectory _directory;
    private readonly DurabilityPolicy _durability;
    private readonly long? _snapshotEveryBytes;

    private BenchBroker(BenchDirectory directory, DurabilityPolicy durability, long? snapshotEveryBytes)
    {
        _directory = directory;
        _durability = durability;
        _snapshotEveryBytes = snapshotEveryBytes;
    }

    public JobBroker Broker { get; private set; } = null!;

    public string OrgId { get; private set; } = "";

    /// <summary>The options of the broker opened last.</summary>
    public BrokerOptions Options { get; private set; } = null!;

    /// <summary>The disk calls of the broker opened last.</summary>
    public CountingStorage Storage { get; private set; } = null!;

    public string FullPath => _directory.FullPath;

    /// <summary>
    /// Opens a broker on a new directory under <paramref name="root"/>. <paramref name="snapshotEveryBytes"/>
    /// null keeps the broker's default (a snapshot every 256 MiB of log); the modes that measure a heap or
    /// a snapshot of their own pass <see cref="long.MaxValue"/> so that no automatic snapshot interferes.
    /// </summary>
    public static async Task<BenchBroker> CreateAsync(string purpose, string? root, DurabilityPolicy durability, long? snapshotEveryBytes = null)
    {
        var directory = BenchDirectory.Create("broker-" + purpose, root);
        var bench = new BenchBroker(directory, durability, snapshotEveryBytes);
        try
        {
            bench.Broker = JobBroker.Open(bench.NewOptions());
            bench.OrgId = (await bench.Broker.CreateOrganizationAsync("Benchmark Org", "bench-org")).Organization.Id;
            return bench;
        }
        catch
        {
            await bench.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the broker (everything acknowledged is on disk).</summary>
    public async Task CloseAsync()
    {
        if (Broker is { } broker)
        {
            Broker = null!;
            await broker.DisposeAsync();
        }
    }

    /// <summary>Opens the broker again on the same directory; returns the wall time of <see cref="JobBroker.Open"/>.</summary>
    public TimeSpan Reopen()
    {
        if (Broker is not null)
        {
            throw new InvalidOperationException("Close the broker first.");
        }

        var options = NewOptions();
        var started = Stopwatch.GetTimestamp();
        Broker = JobBroker.Open(options);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Enqueues <paramref name="jobs"/> pending jobs in bulk requests of 100, <paramref name="producers"/>
    /// requests in flight (see <see cref="BulkRequests"/>).
    /// </summary>
    public async Task FillAsync(int jobs, int payloadSize, int producers)
    {
        var requests = new BulkRequests(payloadSize, jobs);
        var next = -1;
        var loops = new Task[producers];
        for (var p = 0; p < producers; p++)
        {
            loops[p] = Task.Run(async () =>
            {
                int batch;
                while ((batch = Interlocked.Increment(ref next)) < requests.Count)
                {
                    var result = await Broker.EnqueueBulkAsync(OrgId, requests[batch]);
                    BulkRequests.ThrowIfRefused(result);
                }
            });
        }

        await Task.WhenAll(loops);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        finally
        {
            _directory.Dispose();
        }
    }

    /// <summary>
    /// The collector this process runs with: the server runs the server collector, concurrent (the
    /// web SDK's default), while this project defaults to a workstation, non-concurrent one for
    /// steady allocation counts; <c>DOTNET_gcServer</c> and <c>DOTNET_gcConcurrent</c> choose.
    /// </summary>
    public static string GcMode =>
        (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? "-nonconcurrent" : "-concurrent");

    /// <summary>The broker's options for the directory, its storage wrapped to count disk calls.</summary>
    private BrokerOptions NewOptions()
    {
        var defaults = BrokerOptions.ForDirectory(_directory.FullPath, _durability);
        Storage = new CountingStorage(defaults.Log.Storage);
        var log = new LogOptions
        {
            Storage = Storage,
            Durability = defaults.Log.Durability,
            MaxRecordSize = defaults.Log.MaxRecordSize,
            CompressionThreshold = defaults.Log.CompressionThreshold,
        };
        Options = _snapshotEveryBytes is { } every
            ? new BrokerOptions { Log = log, SnapshotEveryBytes = every }
            : new BrokerOptions { Log = log };
        return Options;
    }
}

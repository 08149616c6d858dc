using Microsoft.Extensions.Time.Testing;
using Spooled.Log;
using Spooled.Testing;

namespace Spooled.Broker.Tests.Support;

/// <summary>
/// A broker on a simulated disk with a fake clock, which a test can crash (dropping what was not
/// synced) and reopen. Time only moves when the test advances it.
/// </summary>
internal sealed class BrokerFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Func<BrokerOptions, BrokerOptions>? _configure;

    public BrokerFixture(Func<BrokerOptions, BrokerOptions>? configure = null, DurabilityPolicy? durability = null)
    {
        _configure = configure;
        Durability = durability ?? DurabilityPolicy.Fsync;
        Broker = Open();
    }

    public SimulatedStorage Storage { get; private set; } = new();

    public FakeTimeProvider Clock { get; } = new(Epoch);

    public DurabilityPolicy Durability { get; }

    public JobBroker Broker { get; private set; }

    public BrokerOptions Options { get; private set; } = null!;

    public JobBroker Open()
    {
        var options = new BrokerOptions
        {
            Log = new LogOptions
            {
                Storage = Storage,
                Durability = Durability,
                MaxRecordSize = BrokerOptions.MaxRecordBytes,
                SegmentSize = 64L * 1024 * 1024,
                PreallocateSegments = false,
                TimeProvider = Clock,
            },
            TimeProvider = Clock,
        };
        Options = _configure?.Invoke(options) ?? options;
        return JobBroker.Open(Options);
    }

    /// <summary>Creates an organization and returns its id.</summary>
    public async Task<string> CreateOrgAsync(string slug = "acme")
    {
        var created = await Broker.CreateOrganizationAsync("Acme Inc", slug);
        return created.Organization.Id;
    }

    /// <summary>Closes the broker cleanly and opens it again on the same disk.</summary>
    public async Task RestartAsync()
    {
        await Broker.DisposeAsync();
        Broker = Open();
    }

    /// <summary>Power loss: the broker is abandoned mid-flight, unsynced writes are dropped, and it reopens.</summary>
    public async Task CrashAsync(int seed = 1, CrashMode mode = CrashMode.DropUnsynced)
    {
        var abandoned = Broker;
        Storage.Crash(new Random(seed), mode);
        try
        {
            await abandoned.DisposeAsync();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The old handles are dead after the crash; closing them may fail.
        }

        Broker = Open();
    }

    /// <summary>Moves the fake clock and lets the broker run whatever became due.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Broker.RunTimersAsync();
    }

    public async ValueTask DisposeAsync() => await Broker.DisposeAsync();
}

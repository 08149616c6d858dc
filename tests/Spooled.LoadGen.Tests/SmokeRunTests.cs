using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spooled.Broker;
using Spooled.Http.Hosting;

namespace Spooled.LoadGen.Tests;

/// <summary>
/// Seconds-long runs of every workload against a real server in this process, over loopback: no
/// speed is asserted, only that the generator's counts, phases and latencies agree with what the
/// server did.
/// </summary>
public sealed class SmokeRunTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "spooled-loadgen-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private Uri _url = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        _app = SpooledServer.Build([], config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDir"] = _dataDir,
            ["Server:Port"] = "0",
            ["Server:Host"] = "127.0.0.1",
            ["Auth:JwtSecret"] = "test-secret-for-the-loadgen-tests-0123456789",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await _app.StartAsync();
        _url = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var created = await _app.Services.GetRequiredService<JobBroker>().CreateOrganizationAsync("LoadGen", "loadgen");
        _key = created.ApiKey.Key;
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Theory]
    [InlineData("enqueue", "--jobs", "300", "--batch", "1")]
    [InlineData("enqueue", "--jobs", "1000", "--batch", "100")]
    [InlineData("drain", "--jobs", "500", "--ack", "single")]
    [InlineData("drain", "--jobs", "500", "--ack", "batch")]
    [InlineData("pipeline", "--jobs", "500", "--claim-limit", "100")]
    public async Task A_short_run_counts_every_job(string workload, string flag1, string value1, string flag2, string value2)
    {
        var report = await RunAsync("--workload", workload, flag1, value1, flag2, value2);
        var jobs = int.Parse(value1, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, report.ErrorTotal);
        Assert.False(report.Stalled);
        Assert.Equal(jobs, report.Enqueued);
        Assert.Equal(workload == "enqueue" ? 0 : jobs, report.Completed);
        Assert.All(report.Phases, phase => Assert.True(phase.Jobs == jobs && phase.JobsPerSecond > 0, $"{phase.Name}: {phase.Jobs} jobs at {phase.JobsPerSecond}/s"));
    }

    [Fact]
    public async Task A_steady_run_sends_rate_times_duration_and_measures_every_job()
    {
        var report = await RunAsync("--workload", "steady", "--rate", "200", "--duration", "2", "--workers", "2", "--wait-secs", "1");
        Assert.Equal(0, report.ErrorTotal);
        Assert.Equal(400, report.Enqueued);
        Assert.Equal(400, report.Completed);
        Assert.Equal(400, report.EnqueueLatency!.Count);
        Assert.Equal(400, report.EnqueueToClaimLatency!.Count);
        Assert.Equal(400, report.SendLag!.Count);

        // Open loop: the arrivals keep to their schedule (2 s for 400 jobs at 200/s), whatever the answers.
        var enqueue = Assert.Single(report.Phases, p => p.Name == "enqueue");
        Assert.InRange(enqueue.Seconds, 1.9, 10);
        Assert.True(report.SendLag.P50Ms <= report.EnqueueLatency.P50Ms, "a request cannot be answered before it leaves");
    }

    [Fact]
    public async Task Sse_subscribers_receive_every_created_event_over_raw_sockets()
    {
        var report = await RunAsync("--workload", "enqueue", "--jobs", "200", "--producers", "2", "--sse-subscribers", "3");
        Assert.Equal(0, report.ErrorTotal);
        var sse = report.Sse!;
        Assert.Equal((3, 3, 200L, 600L), (sse.SubscribersConnected, sse.SubscribersComplete, sse.EventsMinPerSubscriber, sse.EventsReceived));
        Assert.Equal((0L, 0, 0), (sse.UnreadableEvents, sse.SubscribersCutOff, sse.SubscribersDisconnectedEarly));
        Assert.Equal(600, sse.Latency!.Count);
    }

    private async Task<RunReport> RunAsync(params string[] args)
    {
        var options = OptionParser.Parse([.. args, "--url", _url.ToString(), "--api-key", _key]);
        return await new LoadRunner(options).RunAsync(CancellationToken.None);
    }
}

using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spooled.Broker;
using Spooled.Http.Hosting;

namespace Spooled.Http.Tests.Support;

/// <summary>
/// The real server on a loopback port chosen by the OS, with its data in a temporary directory that
/// is deleted on dispose. <see cref="RestartAsync"/> stops it (snapshot and all) and starts it again
/// on the same directory.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _time;
    private WebApplication _app = null!;

    private TestServer(Dictionary<string, string?> settings, TimeProvider? time)
    {
        _settings = settings;
        _time = time;
    }

    public string DataDir => _settings["Storage:DataDir"]!;

    public Uri BaseAddress { get; private set; } = null!;

    public JobBroker Broker => _app.Services.GetRequiredService<JobBroker>();

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="settings"/> override configuration keys (e.g. <c>Auth:AdminApiKey</c>).</summary>
    public static async Task<TestServer> StartAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Storage:DataDir"] = Path.Combine(Path.GetTempPath(), "spooled-http-" + Guid.NewGuid().ToString("N")),
            ["Server:Port"] = "0",
            ["Server:Host"] = "127.0.0.1",
            ["Storage:Durability"] = "fsync",
            ["Storage:SegmentSizeMiB"] = "32",
            ["Auth:JwtSecret"] = "test-secret-for-the-http-tests-0123456789abcdef",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var server = new TestServer(all, time);
        await server.StartAppAsync();
        return server;
    }

    private async Task StartAppAsync()
    {
        _app = SpooledServer.Build([], config => config.AddInMemoryCollection(_settings), _time);
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
    }

    /// <summary>An HTTP client for the server, authenticated with <paramref name="apiKey"/> when given.</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>Creates an organization; returns its id and first API key.</summary>
    public async Task<(string OrgId, string ApiKey)> CreateTenantAsync(string? slug = null)
    {
        var created = await Broker.CreateOrganizationAsync("Tenant " + Guid.NewGuid().ToString("N")[..6], slug ?? "t" + Guid.NewGuid().ToString("N")[..10]);
        return (created.Organization.Id, created.ApiKey.Key);
    }

    /// <summary>Stops the server as SIGTERM would (snapshot, close) and starts it again on the same data.</summary>
    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    private async Task StopAppAsync()
    {
        var broker = Broker;
        await _app.StopAsync();
        await _app.DisposeAsync();
        await broker.SnapshotAsync();
        await broker.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAppAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Nothing was written.
            }
        }
    }
}

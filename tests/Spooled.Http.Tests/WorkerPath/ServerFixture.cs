using Spooled.Http.Tests.Support;

namespace Spooled.Http.Tests.WorkerPath;

/// <summary>
/// One server for a whole test class: tests stay independent by each taking a fresh tenant, which
/// keeps the suite fast without sharing any state between tests.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A client of a new organization, with the organization's id.</summary>
    public async Task<(HttpClient Client, string OrgId)> NewTenantAsync()
    {
        var (orgId, key) = await Server.CreateTenantAsync();
        return (Server.Client(key), orgId);
    }

    /// <summary>A client whose key may use only <paramref name="queues"/>.</summary>
    public async Task<HttpClient> ScopedClientAsync(string orgId, params string[] queues)
    {
        var key = await Server.Broker.CreateApiKeyAsync(orgId, "scoped", queues);
        return Server.Client(key.Key);
    }
}

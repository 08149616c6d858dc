using System.Text;
using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class ApiKeyTests
{
    [Fact]
    public async Task Authenticate_finds_the_key_and_its_organization()
    {
        await using var fx = new BrokerFixture();
        var created = await fx.Broker.CreateOrganizationAsync("Acme Inc", "acme");
        var org = created.Organization.Id;
        var key = await fx.Broker.CreateApiKeyAsync(org, "deploy", ["emails", "billing"]);

        var initial = fx.Broker.Authenticate(created.ApiKey.Key);
        Assert.NotNull(initial);
        Assert.Equal((created.ApiKey.Id, org), (initial.KeyId, initial.OrganizationId));
        Assert.Equal(["*"], initial.Queues);

        var scoped = fx.Broker.Authenticate(key.Key)!;
        Assert.Equal((key.Id, org, true), (scoped.KeyId, scoped.OrganizationId, scoped.IsActive));
        Assert.Equal(["emails", "billing"], scoped.Queues);
        Assert.StartsWith("sk_test_", key.Key, StringComparison.Ordinal);

        Assert.Null(fx.Broker.Authenticate(key.Key + "x"));
        Assert.Null(fx.Broker.Authenticate(""));
        Assert.NotNull((await fx.Broker.GetApiKeyAsync(org, key.Id)).LastUsed);
    }

    [Fact]
    public async Task Raw_key_is_never_written_to_disk()
    {
        await using var fx = new BrokerFixture();
        var created = await fx.Broker.CreateOrganizationAsync("Acme Inc", "acme");
        var extra = await fx.Broker.CreateApiKeyAsync(created.Organization.Id, "ci");
        await fx.Broker.SnapshotAsync();
        await fx.Broker.DisposeAsync();

        var files = fx.Storage.ListFiles();
        var records = ReadLog(fx);
        Assert.Contains(files, f => f.EndsWith(".seg", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".snap", StringComparison.Ordinal));
        foreach (var raw in new[] { created.ApiKey.Key, extra.Key })
        {
            // The random part alone must not appear either, in any encoding the writers use.
            var secret = raw["sk_test_".Length..];
            foreach (var file in files)
            {
                var bytes = fx.Storage.GetBytes(file);
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{file} holds a raw key");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{file} holds a raw key");
            }

            // Records as the log hands them back, in case a writer compressed one.
            Assert.All(records, r => Assert.True(r.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0));
        }

        // The stored hash still authenticates after a reopen from those files.
        await fx.RestartAsync();
        Assert.Equal(extra.Id, fx.Broker.Authenticate(extra.Key)!.KeyId);
    }

    [Fact]
    public async Task Revoking_stops_the_key_at_once_and_for_good()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var key = await fx.Broker.CreateApiKeyAsync(org, "ci");
        Assert.NotNull(fx.Broker.Authenticate(key.Key));

        var revoked = await fx.Broker.RevokeApiKeyAsync(org, key.Id);
        Assert.False(revoked.IsActive);
        Assert.Null(fx.Broker.Authenticate(key.Key));

        await InvalidAsync("is_active", () => fx.Broker.UpdateApiKeyAsync(org, key.Id, new ApiKeyUpdate { IsActive = true }));
        Assert.Null(fx.Broker.Authenticate(key.Key));
        Assert.False((await fx.Broker.GetApiKeyAsync(org, key.Id)).IsActive);

        // Other changes to a revoked key leave it revoked.
        await fx.Broker.UpdateApiKeyAsync(org, key.Id, new ApiKeyUpdate { Name = "renamed" });
        Assert.Null(fx.Broker.Authenticate(key.Key));

        await fx.CrashAsync();
        Assert.Null(fx.Broker.Authenticate(key.Key));
        Assert.Contains(await fx.Broker.ListApiKeysAsync(org), k => k.Id == key.Id && !k.IsActive && k.Name == "renamed");
    }

    [Fact]
    public async Task Expired_key_is_refused()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var key = await fx.Broker.CreateApiKeyAsync(org, "temp", expiresAt: BrokerFixture.Epoch.AddHours(1));
        Assert.Equal(BrokerFixture.Epoch.AddHours(1), key.ExpiresAt);

        await fx.AdvanceAsync(TimeSpan.FromMinutes(59));
        Assert.NotNull(fx.Broker.Authenticate(key.Key));
        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Null(fx.Broker.Authenticate(key.Key));

        await InvalidAsync("expires_at", () => fx.Broker.CreateApiKeyAsync(org, "late", expiresAt: fx.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task Keys_are_listed_newest_first_without_the_secret()
    {
        await using var fx = new BrokerFixture();
        var created = await fx.Broker.CreateOrganizationAsync("Acme Inc", "acme");
        var org = created.Organization.Id;
        var second = await fx.Broker.CreateApiKeyAsync(org, "second");
        var third = await fx.Broker.CreateApiKeyAsync(org, "third", rateLimit: 10);
        await fx.Broker.RevokeApiKeyAsync(org, second.Id);

        var keys = await fx.Broker.ListApiKeysAsync(org);
        Assert.Equal([third.Id, second.Id, created.ApiKey.Id], keys.Select(k => k.Id));
        Assert.Equal(10, keys[0].RateLimit);
        Assert.NotEqual(second.Key, third.Key);
    }
}

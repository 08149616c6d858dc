using System.Net;
using Microsoft.Extensions.Configuration;
using Spooled.Http.Hosting;
using Spooled.Http.Tests.Support;
using static Spooled.Http.Tests.WorkerPath.Wire;

namespace Spooled.Http.Tests.Hosting;

/// <summary>The retention settings reach the broker, and bad values stop the server with a clear message.</summary>
public sealed class RetentionSettingTests
{
    [Fact]
    public async Task A_server_keeps_at_most_the_configured_number_of_finished_jobs()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Retention:MaxJobsPerOrganization"] = "2" });
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = await EnqueueAsync(client, "kept");
            Assert.Single(await ClaimAsync(client, "kept", "w"));
            await PostAsync(client, $"/api/v1/jobs/{id}/complete", """{"worker_id":"w"}""");
            ids.Add(id);
        }

        await GetAsync(client, $"/api/v1/jobs/{ids[0]}", HttpStatusCode.NotFound);
        Assert.Equal("completed", await StatusAsync(client, ids[1]));
        Assert.Equal("completed", await StatusAsync(client, ids[2]));
    }

    [Theory]
    [InlineData("Retention:Hours", "-1")]
    [InlineData("Retention:Hours", "8761")]
    [InlineData("Retention:MaxJobsPerOrganization", "lots")]
    public void A_bad_retention_setting_names_itself(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => ServerOptions.From(configuration));
        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void Retention_defaults_to_a_day_and_a_million_jobs()
    {
        var options = ServerOptions.From(new ConfigurationBuilder().Build());
        Assert.Equal(24, options.RetentionHours);
        Assert.Equal(1_000_000, options.RetentionMaxJobsPerOrganization);
    }
}

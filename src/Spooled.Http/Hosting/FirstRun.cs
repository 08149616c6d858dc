using Spooled.Broker;

namespace Spooled.Http.Hosting;

/// <summary>
/// On an empty data directory: creates the default organization and prints its API key once, with
/// a curl line that enqueues a job. The key is shown only here; it is stored as a hash.
/// </summary>
internal static class FirstRun
{
    public const string DefaultOrganizationId = "default-org";

    public static async Task RunAsync(JobBroker broker, ServerOptions options, TextWriter output)
    {
        if ((await broker.ListOrganizationsAsync()).Count > 0)
        {
            return;
        }

        var created = await broker.CreateOrganizationAsync("Default Organization", "default", id: DefaultOrganizationId, checkReservedSlugs: false);
        var host = options.Host is "0.0.0.0" or "::" or "[::]" ? "127.0.0.1" : options.Host;
        var url = $"http://{host}:{options.Port}";
        output.WriteLine($$$"""

            Spooled created the default organization. Its API key (shown only once; store it now):

                {{{created.ApiKey.Key}}}

            Enqueue a job:

                curl -s -X POST {{{url}}}/api/v1/jobs -H "Authorization: Bearer {{{created.ApiKey.Key}}}" -H "Content-Type: application/json" -d '{"queue_name":"emails","payload":{"to":"user@example.com"}}'

            """);
    }
}

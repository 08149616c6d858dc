using System.Net;
using Spooled.Http.Tests.Support;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Tenancy;

public sealed class RegistrationModeTests
{
    private const string Registration = """{"name":"Closed Org","slug":"closed-org"}""";

    [Fact]
    public async Task Closed_registration_needs_the_admin_key()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:RegistrationMode"] = "closed",
            ["Auth:AdminApiKey"] = AdminKey,
        });
        using var client = server.Client();
        await ExpectErrorAsync(await client.PostAsync("/api/v1/organizations", Body(Registration)), HttpStatusCode.Forbidden, "ACCESS_DENIED");
        await ExpectErrorAsync(await SendAsync(client, HttpMethod.Post, "/api/v1/organizations", Registration, ("X-Admin-Key", AdminKey + "x")), HttpStatusCode.Forbidden, "ACCESS_DENIED");
        await ExpectErrorAsync(await SendAsync(client, HttpMethod.Post, "/api/v1/organizations", Registration, ("X-Admin-Key", AdminKey[..^1])), HttpStatusCode.Forbidden, "ACCESS_DENIED");
        await ExpectAsync(await SendAsync(client, HttpMethod.Post, "/api/v1/organizations", Registration, ("X-Admin-Key", AdminKey)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Invite_registration_is_refused_even_with_the_admin_key()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:RegistrationMode"] = "invite",
            ["Auth:AdminApiKey"] = AdminKey,
        });
        using var client = server.Client();
        await ExpectErrorAsync(await client.PostAsync("/api/v1/organizations", Body(Registration)), HttpStatusCode.Forbidden, "ACCESS_DENIED");
        await ExpectErrorAsync(await SendAsync(client, HttpMethod.Post, "/api/v1/organizations", Registration, ("X-Admin-Key", AdminKey)), HttpStatusCode.Forbidden, "ACCESS_DENIED");
    }
}

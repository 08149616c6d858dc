namespace Spooled.Http;

/// <summary>Where the server listens: <c>HOST</c> (default 127.0.0.1) and <c>PORT</c> (default 8080), the reference server's variables.</summary>
internal static class ServerAddress
{
    public static string FromConfiguration(IConfiguration configuration)
    {
        var host = configuration["HOST"] ?? "127.0.0.1";
        var port = configuration["PORT"] ?? "8080";
        return $"http://{host}:{port}";
    }
}

using Spooled.Log;

namespace Spooled.Http.Hosting;

/// <summary>
/// The server's settings, read from configuration: <c>appsettings.json</c>, environment variables
/// with the <c>SPOOLED_</c> prefix (<c>SPOOLED_Storage__DataDir</c>), the reference server's
/// variable names (<c>PORT</c>, <c>HOST</c>, <c>ADMIN_API_KEY</c>, <c>JWT_SECRET</c>,
/// <c>REGISTRATION_MODE</c>, <c>DATABASE_URL</c>) and command-line arguments.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>Where the log, snapshots and the generated JWT secret live. Default <c>./data</c>.</summary>
    public string DataDir { get; init; } = "data";

    /// <summary>Address to listen on. Default 127.0.0.1.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port; 0 picks a free one. Default 8080.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Size of each log segment in MiB (32..1024). Default 64.</summary>
    public int SegmentSizeMiB { get; init; } = 64;

    /// <summary>The log's durability policy: <c>fsync</c> (default), <c>interval:MS</c> or <c>none</c>.</summary>
    public DurabilityPolicy Durability { get; init; } = DurabilityPolicy.Fsync;

    /// <summary>Key for the <c>/admin</c> routes (<c>X-Admin-Key</c>); admin routes answer 401 while unset.</summary>
    public string? AdminApiKey { get; init; }

    /// <summary>HS256 secret for access and refresh tokens; generated and kept in the data directory when unset.</summary>
    public string? JwtSecret { get; init; }

    /// <summary>Access token lifetime (refresh tokens live 24 times longer). Default 24 h.</summary>
    public int JwtExpirationHours { get; init; } = 24;

    /// <summary><c>open</c> (anyone may create an organization), <c>closed</c> (admin key needed) or <c>invite</c> (refused).</summary>
    public string RegistrationMode { get; init; } = "open";

    /// <summary>PostgreSQL connection string for the mirror (used by a later feature).</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>Requests per second allowed per API key; 0 (default) turns rate limiting off.</summary>
    public int RateLimitPerSecond { get; init; }

    /// <summary>Burst size of the per-key token bucket. Default twice the rate.</summary>
    public int RateLimitBurst { get; init; }

    /// <summary>Mint <c>sk_live_</c> keys (production) instead of <c>sk_test_</c>.</summary>
    public bool LiveKeys { get; init; }

    /// <summary>Live streams (SSE and WebSocket) one API key may hold open at once. Default 100.</summary>
    public int MaxStreamsPerKey { get; init; } = 100;

    /// <summary>Live streams one organization may hold open at once. Default 1,000.</summary>
    public int MaxStreamsPerOrganization { get; init; } = 1000;

    /// <summary>Seconds of silence after which an SSE stream sends a keep-alive comment. Default 15.</summary>
    public int KeepAliveSeconds { get; init; } = 15;

    /// <summary>Events a stream may fall behind before it is cut off. Default 4,096.</summary>
    public int StreamBufferEvents { get; init; } = 4096;

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>) allowed to open a WebSocket besides the server's own;
    /// <c>*</c> allows any. Default none.
    /// </summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>How long completed and cancelled jobs stay readable. Default 24 hours.</summary>
    public int RetentionHours { get; init; } = 24;

    /// <summary>The most completed and cancelled jobs kept per organization; the oldest go first. Default 1,000,000.</summary>
    public int RetentionMaxJobsPerOrganization { get; init; } = 1_000_000;

    /// <summary>Reads the options from configuration, failing with a clear message on a bad value.</summary>
    public static ServerOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? Get(string key, string? alias = null) => configuration[key] is { Length: > 0 } v ? v : alias is null ? null : configuration[alias] is { Length: > 0 } a ? a : null;

        var portText = Get("Server:Port", "PORT");
        var port = 8080;
        if (portText is not null && (!int.TryParse(portText, out port) || port is < 0 or > 65535))
        {
            throw new InvalidOperationException($"PORT must be a number from 0 to 65535, not '{portText}'.");
        }

        var durabilityText = Get("Storage:Durability");
        DurabilityPolicy durability;
        try
        {
            durability = durabilityText is null ? DurabilityPolicy.Fsync : DurabilityPolicy.Parse(durabilityText);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Storage:Durability must be fsync, interval:MS or none, not '{durabilityText}'.");
        }

        var mode = (Get("Auth:RegistrationMode", "REGISTRATION_MODE") ?? "open").ToLowerInvariant();
        if (mode is not ("open" or "closed" or "invite"))
        {
            throw new InvalidOperationException($"REGISTRATION_MODE must be open, closed or invite, not '{mode}'.");
        }

        var hoursText = Get("Auth:JwtExpirationHours", "JWT_EXPIRATION_HOURS");
        var hours = 24;
        if (hoursText is not null && (!int.TryParse(hoursText, out hours) || hours is < 1 or > 8760))
        {
            throw new InvalidOperationException($"JWT_EXPIRATION_HOURS must be 1..8760, not '{hoursText}'.");
        }

        var rate = ParseInt(Get("RateLimit:PerSecond"), "RateLimit:PerSecond", 0, 1_000_000);
        return new ServerOptions
        {
            DataDir = Get("Storage:DataDir") ?? "data",
            Host = Get("Server:Host", "HOST") ?? "127.0.0.1",
            Port = port,
            Durability = durability,
            SegmentSizeMiB = ParseInt(Get("Storage:SegmentSizeMiB"), "Storage:SegmentSizeMiB", 32, 1024) is var segment && segment > 0 ? segment : 64,
            AdminApiKey = Get("Auth:AdminApiKey", "ADMIN_API_KEY"),
            JwtSecret = Get("Auth:JwtSecret", "JWT_SECRET"),
            JwtExpirationHours = hours,
            RegistrationMode = mode,
            DatabaseUrl = Get("Database:Url", "DATABASE_URL"),
            RateLimitPerSecond = rate,
            RateLimitBurst = ParseInt(Get("RateLimit:Burst"), "RateLimit:Burst", 0, 10_000_000) is var burst && burst > 0 ? burst : rate * 2,
            LiveKeys = string.Equals(Get("Auth:KeyEnvironment", "RUST_ENV"), "production", StringComparison.OrdinalIgnoreCase),
            MaxStreamsPerKey = ParseInt(Get("Realtime:MaxStreamsPerKey"), "Realtime:MaxStreamsPerKey", 1, 1_000_000) is var perKey && perKey > 0 ? perKey : 100,
            MaxStreamsPerOrganization = ParseInt(Get("Realtime:MaxStreamsPerOrganization"), "Realtime:MaxStreamsPerOrganization", 1, 1_000_000) is var perOrg && perOrg > 0 ? perOrg : 1000,
            KeepAliveSeconds = ParseInt(Get("Realtime:KeepAliveSeconds"), "Realtime:KeepAliveSeconds", 1, 3600) is var keepAlive && keepAlive > 0 ? keepAlive : 15,
            StreamBufferEvents = ParseInt(Get("Realtime:StreamBufferEvents"), "Realtime:StreamBufferEvents", 16, 10_000_000) is var buffer && buffer > 0 ? buffer : 4096,
            RetentionHours = Get("Retention:Hours") is { } retention ? ParseInt(retention, "Retention:Hours", 0, 8760) : 24,
            RetentionMaxJobsPerOrganization = Get("Retention:MaxJobsPerOrganization") is { } kept ? ParseInt(kept, "Retention:MaxJobsPerOrganization", 0, 100_000_000) : 1_000_000,
            AllowedOrigins = (Get("Realtime:AllowedOrigins") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    private static int ParseInt(string? text, string name, int min, int max) =>
        text is null ? 0 : int.TryParse(text, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{name} must be a number from {min} to {max}, not '{text}'.");
}

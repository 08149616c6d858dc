using Spooled.Broker;
using Spooled.Broker.Events;
using Spooled.Http.Auth;
using Spooled.Http.Endpoints;
using Spooled.Http.Errors;
using Spooled.Http.Json;
using Spooled.Http.Logging;
using Spooled.Http.Realtime;
using Spooled.Log;
using Spooled.Log.Storage;

namespace Spooled.Http.Hosting;

/// <summary>The composition root: configuration, the broker, Kestrel, middleware and routes.</summary>
public static class SpooledServer
{
    /// <summary>
    /// Builds the server and opens its broker (recovering the data directory). Throws with a clear
    /// message when the configuration is invalid or the log cannot be trusted.
    /// </summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null, TimeProvider? time = null)
    {
        // Settings are read once at start, so watching appsettings.json for changes buys nothing,
        // and the watcher (recursive over the content root) wakes on every write to a data
        // directory beneath it: one thread's work per log write.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        builder.Configuration.AddEnvironmentVariables("SPOOLED_");
        configure?.Invoke(builder.Configuration);
        var options = ServerOptions.From(builder.Configuration);
        time ??= TimeProvider.System;

        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Our reader answers 413 past 2 MiB with the API's body, after draining the rest so the
            // client, still sending, reads the answer; Kestrel's own limit only bounds that drain.
            kestrel.Limits.MaxRequestBodySize = 4L * JsonBody.MaxBodyBytes;
        });
        builder.Logging.ClearProviders();
        var logTime = time;
        builder.Services.AddSingleton<ILoggerProvider>(_ => new JsonLineLoggerProvider(Console.OpenStandardOutput(), logTime));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Our request line replaces the framework's per-request logging. With that category off,
        // hosting no longer opens a logging scope and a tracing activity for every request when no
        // tracer listens (a few percent of a single enqueue); a tracer that listens still gets them.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.None);

        Directory.CreateDirectory(options.DataDir);
        var broker = JobBroker.Open(new BrokerOptions
        {
            Log = new LogOptions
            {
                Storage = new FileLogStorage(Path.Combine(options.DataDir, "log")),
                Durability = options.Durability,
                MaxRecordSize = BrokerOptions.MaxRecordBytes,
                CompressionThreshold = BrokerOptions.CompressionThresholdBytes,
                SegmentSize = options.SegmentSizeMiB * 1024L * 1024,
            },
            TimeProvider = time,
            LiveKeys = options.LiveKeys,
            RetentionWindow = TimeSpan.FromHours(options.RetentionHours),
            RetentionMaxJobsPerOrganization = options.RetentionMaxJobsPerOrganization,
            EventsKept = Math.Max(EventBus.DefaultRecentCapacity, options.StreamBufferEvents),
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(broker);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(new TokenService(TokenService.LoadOrCreateSecret(options), options.JwtExpirationHours, time));
        builder.Services.AddSingleton<RateLimiter>();
        builder.Services.AddSingleton<StreamLimiter>();
        builder.Services.AddSingleton<QueueStatsCache>();
        builder.Services.AddSingleton<StreamPulse>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Options.TypeInfoResolver!);
        });

        var app = builder.Build();

        // Long-poll claims would hold the shutdown for their whole wait: answer them empty at once.
        app.Lifetime.ApplicationStopping.Register(broker.StopWaiting);
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<AuthenticationMiddleware>();
        // Protocol pings every 30 s; a client that answers none within 30 s more is gone and its socket is aborted.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30), KeepAliveTimeout = TimeSpan.FromSeconds(30) });
        HealthEndpoints.Map(app);
        JobEndpoints.Map(app);
        OrganizationEndpoints.Map(app);
        ApiKeyEndpoints.Map(app);
        AuthEndpoints.Map(app);
        AdminEndpoints.Map(app);
        DashboardEndpoints.Map(app);
        WorkerPathEndpoints.Map(app);
        DeadLetterEndpoints.Map(app);
        QueueEndpoints.Map(app);
        WorkerEndpoints.Map(app);
        EventEndpoints.Map(app);
        WebSocketEndpoints.Map(app);
        app.MapFallback(static context => throw ApiException.NotFound("Route"));
        return app;
    }

    /// <summary>Runs the server until SIGTERM/Ctrl-C, then snapshots and closes the broker.</summary>
    public static async Task RunAsync(WebApplication app, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(app);
        var broker = app.Services.GetRequiredService<JobBroker>();
        var options = app.Services.GetRequiredService<ServerOptions>();
        await FirstRun.RunAsync(broker, options, output);
        await app.RunAsync();

        // Kestrel has drained in-flight requests: make the state durable and compact for a fast restart.
        try
        {
            await broker.SnapshotAsync();
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }
}

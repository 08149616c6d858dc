using Spooled.Http;

if (args.Length > 0 && args[0] == "log")
{
    return LogCommand.Run(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(ServerAddress.FromConfiguration(builder.Configuration));
var app = builder.Build();
app.MapGet("/health", () => TypedResults.Text("{\"status\":\"healthy\"}", "application/json"));
await app.RunAsync();
return 0;

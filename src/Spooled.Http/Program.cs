using Spooled.Http;
using Spooled.Http.Hosting;

if (args.Length > 0 && args[0] == "log")
{
    return LogCommand.Run(args[1..], Console.Out, Console.Error);
}

try
{
    var app = SpooledServer.Build(args);
    await SpooledServer.RunAsync(app, Console.Out);
    return 0;
}
catch (InvalidOperationException error) when (error.Source is not null)
{
    await Console.Error.WriteLineAsync("spooled: " + error.Message);
    return 1;
}

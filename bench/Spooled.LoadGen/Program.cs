using System.Text.Json;

namespace Spooled.LoadGen;

/// <summary>
/// Entry point. Exit codes are part of the interface, since scripts drive this tool: 0 a clean run,
/// 1 the server could not be used or any request failed, 2 a bad command line.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        LoadGenOptions options;
        try
        {
            options = OptionParser.Parse(args);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}\nRun with --help for the options.");
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(HelpText.Text);
            return 0;
        }

        // Ctrl-C ends the run early but still prints what was measured.
        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };

        RunReport report;
        try
        {
            report = await new LoadRunner(options).RunAsync(interrupt.Token);
        }
        catch (FatalRunException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted before the run started");
            return 1;
        }

        Console.Write(options.Json
            ? JsonSerializer.Serialize(report, LoadGenJsonContext.Default.RunReport) + Environment.NewLine
            : ReportPrinter.Format(report));
        if (report.Errors.ContainsKey("http_401"))
        {
            await Console.Error.WriteLineAsync("error: the server refused the API key (401) during the run");
        }

        if (report.Errors.TryGetValue("sse_http_429", out var tooMany))
        {
            await Console.Error.WriteLineAsync(
                $"error: the server refused {tooMany} SSE streams with 429 (too many live streams): raise its Realtime:MaxStreamsPerKey "
                + "and Realtime:MaxStreamsPerOrganization above --sse-subscribers, e.g. SPOOLED_Realtime__MaxStreamsPerKey=2000 "
                + "SPOOLED_Realtime__MaxStreamsPerOrganization=2000");
        }

        return report.ErrorTotal > 0 || report.Stalled || report.Interrupted ? 1 : 0;
    }
}

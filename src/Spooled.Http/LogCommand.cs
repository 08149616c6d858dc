using Spooled.Log.Storage;
using Spooled.Log.Tools;

namespace Spooled.Http;

/// <summary>The <c>log verify|dump DIR</c> subcommand: read-only inspection of a log directory.</summary>
internal static class LogCommand
{
    private const string Usage = "usage: spooled log verify|dump <log-directory>\n  verify  check every segment and report records, batches and damage (exit 0 intact, 1 torn tail, 2 corrupt)\n  dump    the same, with one line per record";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 2 || args[0] is not ("verify" or "dump"))
        {
            error.WriteLine(Usage);
            return 64;
        }

        if (!Directory.Exists(args[1]))
        {
            error.WriteLine($"no such directory: {args[1]}");
            return 66;
        }

        try
        {
            return LogInspector.Verify(new FileLogStorage(args[1]), output, dump: args[0] == "dump");
        }
        catch (IOException ex)
        {
            error.WriteLine($"cannot read the log: {ex.Message}");
            return 74;
        }
        catch (UnauthorizedAccessException ex)
        {
            error.WriteLine($"cannot read the log: {ex.Message}");
            return 77;
        }
    }
}

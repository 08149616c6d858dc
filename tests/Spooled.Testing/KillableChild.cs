using System.Diagnostics;

namespace Spooled.Testing;

/// <summary>
/// Runs a kill-target assembly (<c>dotnet target.dll args…</c>) as a child process, lets it work,
/// kills it with SIGKILL and returns everything it printed. The kill tests of the log and the broker
/// share it; each parses the lines its own child prints.
/// </summary>
public static class KillableChild
{
    /// <summary>
    /// Starts the child and, unless <paramref name="fromStart"/>, waits until it has printed
    /// <paramref name="readyLines"/> lines (it has started working); then lets it run for
    /// <paramref name="runForMs"/>, kills it and returns its standard output. A child that prints
    /// nothing, or exits by itself, fails with its standard error in the message.
    /// </summary>
    public static async Task<byte[]> RunAndKillAsync(string assembly, IReadOnlyList<string> args, int readyLines, int runForMs, bool fromStart, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var child = new Process { StartInfo = start };
        var stdout = new MemoryStream();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        child.Start();
        try
        {
            var stderrTask = child.StandardError.ReadToEndAsync(deadline);

            // Its own thread, blocking reads: the child prints faster than a busy thread pool would
            // drain it, and what the child could not print before the kill is unknown to the test.
            var stdoutTask = Task.Factory.StartNew(() => Pump(child.StandardOutput.BaseStream, stdout, ready, readyLines), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            if (!fromStart)
            {
                var first = await Task.WhenAny(ready.Task, child.WaitForExitAsync(deadline), Task.Delay(TimeSpan.FromSeconds(20), deadline));
                if (first != ready.Task)
                {
                    Kill(child);
                    throw new InvalidOperationException($"The child did not start working (exited: {child.HasExited}); stderr:\n{await stderrTask}");
                }
            }

            await Task.Delay(runForMs, deadline);
            if (child.HasExited)
            {
                throw new InvalidOperationException($"The child exited by itself with code {child.ExitCode}; stderr:\n{await stderrTask}");
            }

            Kill(child);
            await child.WaitForExitAsync(deadline);
            await stdoutTask;
            await stderrTask;
            return stdout.ToArray();
        }
        finally
        {
            Kill(child);
        }
    }

    private static void Pump(Stream source, MemoryStream destination, TaskCompletionSource ready, int readyLines)
    {
        var buffer = new byte[64 * 1024];
        var newlines = 0;
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            destination.Write(buffer, 0, read);
            newlines += buffer.AsSpan(0, read).Count((byte)'\n');
            if (newlines >= readyLines)
            {
                ready.TrySetResult();
            }
        }
    }

    private static void Kill(Process child)
    {
        try
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>The dotnet host that runs the tests (so the child uses the same runtime).</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}

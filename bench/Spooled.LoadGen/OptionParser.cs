using System.Globalization;

namespace Spooled.LoadGen;

/// <summary>
/// Turns the command line into <see cref="LoadGenOptions"/>. Hand-written rather than a parsing
/// library: a dozen flags do not justify a dependency, and every error names the flag and its range.
/// Accepts <c>--name value</c> and <c>--name=value</c>.
/// </summary>
internal static class OptionParser
{
    public static LoadGenOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadGenOptions();
        var seenJobs = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"{arg} needs a value");
                }

                return args[++i];
            }

            int Int(int min, int max) => ParseInt(arg, Value(), min, max);

            switch (arg)
            {
                case "-h" or "--help":
                    options.Help = true;
                    break;
                case "--url":
                    options.Url = ParseUrl(Value());
                    break;
                case "--api-key":
                    options.ApiKey = Value();
                    break;
                case "--workload":
                    options.Workload = Value() switch
                    {
                        "enqueue" => Workload.Enqueue,
                        "drain" => Workload.Drain,
                        "pipeline" => Workload.Pipeline,
                        "steady" => Workload.Steady,
                        var other => throw new UsageException($"--workload must be enqueue, drain, pipeline or steady, not '{other}'"),
                    };
                    break;
                case "--queue":
                    options.Queue = ParseQueue(Value());
                    break;
                case "--jobs":
                    options.Jobs = Int(1, 10_000_000);
                    seenJobs = true;
                    break;
                case "--payload-bytes":
                    options.PayloadBytes = Int(RequestBodies.MinPayloadBytes, RequestBodies.MaxPayloadBytes);
                    break;
                case "--producers":
                    options.Producers = Int(1, 1024);
                    break;
                case "--batch":
                    options.Batch = Int(1, 100);
                    break;
                case "--workers":
                    options.Workers = Int(1, 1024);
                    break;
                case "--claim-limit":
                    options.ClaimLimit = Int(1, 100);
                    break;
                case "--wait-secs":
                    options.WaitSecs = Int(0, 30);
                    break;
                case "--lease-secs":
                    options.LeaseSecs = Int(5, 3600);
                    break;
                case "--ack":
                    options.Ack = Value() switch
                    {
                        "single" => AckMode.Single,
                        "batch" => AckMode.Batch,
                        var other => throw new UsageException($"--ack must be single or batch, not '{other}'"),
                    };
                    break;
                case "--rate":
                    options.Rate = Int(1, 1_000_000);
                    break;
                case "--duration":
                    options.DurationSecs = Int(1, 3600);
                    break;
                case "--max-in-flight":
                    options.MaxInFlight = Int(1, 100_000);
                    break;
                case "--stall-secs":
                    options.StallSecs = Int(1, 3600);
                    break;
                case "--sse-subscribers":
                    options.SseSubscribers = Int(0, 10_000);
                    break;
                case "--sse-events":
                    options.SseEvents = ParseEvents(Value());
                    break;
                case "--pid":
                    options.Pid = Int(1, int.MaxValue);
                    break;
                case "--progress":
                    options.Progress = true;
                    break;
                case "--json":
                    options.Json = true;
                    break;
                default:
                    throw new UsageException(arg.StartsWith('-') ? $"unknown option '{arg}'" : $"unexpected argument '{arg}'");
            }
        }

        if (options.Help)
        {
            return options;
        }

        if (options.ApiKey.Length == 0)
        {
            // The README keeps the key in SPOOLED_KEY; honouring it keeps keys out of shell history.
            options.ApiKey = Environment.GetEnvironmentVariable("SPOOLED_KEY") ?? "";
            if (options.ApiKey.Length == 0)
            {
                throw new UsageException("--api-key is required (or set SPOOLED_KEY)");
            }
        }

        if (options.Workload == Workload.Steady)
        {
            if (options.Batch != 1)
            {
                throw new UsageException("--batch does not apply to --workload steady: each arrival is one job");
            }

            if (seenJobs)
            {
                throw new UsageException("--jobs does not apply to --workload steady: the job count is --rate times --duration");
            }

            if ((long)options.Rate * options.DurationSecs > 10_000_000)
            {
                throw new UsageException("--rate times --duration must be at most 10000000 jobs");
            }
        }

        if (options.Pid is { } pid && !File.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            throw new UsageException($"--pid {pid}: no such process (or /proc is not available)");
        }

        return options;
    }

    private static int ParseInt(string name, string text, int min, int max)
    {
        if (!int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new UsageException($"{name} must be a whole number, not '{text}'");
        }

        if (value < min || value > max)
        {
            throw new UsageException($"{name} must be from {min} to {max}, not {value}");
        }

        return value;
    }

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--url must be an absolute http:// or https:// URL, not '{text}'");
        }

        // A trailing slash makes relative paths like "api/v1/jobs" resolve under any path prefix.
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    /// <summary>
    /// A comma-separated list of event types; the server knows the names and answers 400 for an
    /// unknown one, so only the characters are checked here, to keep the query string plain.
    /// </summary>
    private static string ParseEvents(string text)
    {
        var valid = text.Length is > 0 and <= 500;
        foreach (var c in text)
        {
            valid &= char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ',' or '*';
        }

        return valid ? text : throw new UsageException($"--sse-events '{text}' must be a comma-separated list of event types, e.g. job.created,job.completed");
    }

    private static string ParseQueue(string text)
    {
        // The server's rule: 1-100 characters, letters, digits, '-', '_' and '.', not starting with '.' or '-'.
        var valid = text.Length is > 0 and <= 100 && text[0] is not ('.' or '-');
        foreach (var c in text)
        {
            valid &= char.IsLetterOrDigit(c) || c is '-' or '_' or '.';
        }

        return valid ? text : throw new UsageException($"--queue '{text}' is not a valid queue name (1-100 letters, digits, '-', '_', '.')");
    }
}

using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Spooled.Log;
using Spooled.Log.Storage;
using Spooled.Testing;

// The child process of Spooled.Log.Tests' KillTests (a real SIGKILL, not a simulated crash).
//
// Usage: Spooled.Log.KillTarget <log-directory> <appender-count>
//
// Opens (recovering) the log with the Fsync policy, 1 MiB segments (so rolls happen during a run)
// and compression from 256 bytes, prints "ready <end-position>", then runs the appenders until the
// process is killed. After each acknowledged append it prints "ack <position> <appender> <seq>".
// One printer task owns stdout, so lines never interleave; a kill can leave only the last line
// unterminated, and the reader ignores a line without its '\n'.
//
// The payload of (appender, seq) is a pure function of the two (Payload below; KillTests holds an
// identical copy), 10..3000 bytes long, half of them compressible, so a verifier can check every
// byte of every record, acknowledged or not.
if (args.Length != 2
    || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var appenderCount)
    || appenderCount is < 1 or > ushort.MaxValue)
{
    await Console.Error.WriteLineAsync("usage: Spooled.Log.KillTarget <log-directory> <appender-count>");
    return 64;
}

var options = new LogOptions
{
    Storage = new FileLogStorage(args[0]),
    Durability = DurabilityPolicy.Fsync,
    SegmentSize = 1024 * 1024,
    MaxRecordSize = 64 * 1024,
    CompressionThreshold = 256,
};

await using var log = SegmentedLog.Open(options);

// Sequence numbers start at the end position: an earlier run appended fewer records than bytes
// (every record takes more than one byte), so an (appender, seq) pair never repeats across runs.
var firstSeq = log.EndPosition;
var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
var printer = Task.Run(() => PrintAsync(lines.Reader));
lines.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"ready {firstSeq}"));
var appenders = new Task[appenderCount];
for (var i = 0; i < appenderCount; i++)
{
    var appender = (ushort)i;
    appenders[i] = Task.Run(() => AppendForeverAsync(log, appender, firstSeq, lines.Writer));
}

// Appenders end only by failing; report the first failure and exit non-zero.
var ended = await Task.WhenAny(appenders);
lines.Writer.TryComplete();
await printer;
await Console.Error.WriteLineAsync($"an appender stopped: {ended.Exception?.GetBaseException()}");
return 70;

static async Task AppendForeverAsync(SegmentedLog log, ushort appender, long firstSeq, ChannelWriter<string> lines)
{
    for (var seq = firstSeq; ; seq++)
    {
        var position = await log.AppendAsync(KillPayload.Create(appender, seq));
        lines.TryWrite(string.Create(CultureInfo.InvariantCulture, $"ack {position} {appender} {seq}"));
    }
}

static async Task PrintAsync(ChannelReader<string> lines)
{
    await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024);
    while (await lines.WaitToReadAsync())
    {
        while (lines.TryRead(out var line))
        {
            await stdout.WriteAsync(line);
            await stdout.WriteAsync('\n');
        }

        await stdout.FlushAsync();
    }
}

using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spooled.Http.Logging;

namespace Spooled.Http.Tests.Logging;

/// <summary>The server's JSON log lines: their fields, their order, and what happens when the output stalls.</summary>
public sealed class JsonLineLoggerTests
{
    [Fact]
    public void Each_entry_is_one_json_line_with_its_message_state_and_scopes()
    {
        var output = new MemoryStream();
        var provider = new JsonLineLoggerProvider(output, TimeProvider.System);
        using (var factory = LoggerFactory.Create(logging => logging.AddProvider(provider)))
        {
            var logger = factory.CreateLogger("Spooled.Test");
            using (logger.BeginScope(new Dictionary<string, object?> { ["request_id"] = "r-1" }))
            {
                logger.LogInformation("job {JobId} took {ElapsedMs} ms on {Queue}", "j-1", 1.5, null);
            }

            logger.LogError(new InvalidOperationException("broken"), "failed {Count} times", 3);
        }

        provider.Dispose(); // Writes out what is queued.

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);

        using var first = JsonDocument.Parse(lines[0]);
        var entry = first.RootElement;
        Assert.True(DateTimeOffset.TryParse(entry.GetProperty("Timestamp").GetString(), out _));
        Assert.EndsWith("Z", entry.GetProperty("Timestamp").GetString());
        Assert.Equal("Information", entry.GetProperty("LogLevel").GetString());
        Assert.Equal("Spooled.Test", entry.GetProperty("Category").GetString());
        Assert.Equal("job j-1 took 1.5 ms on (null)", entry.GetProperty("Message").GetString());
        var state = entry.GetProperty("State");
        Assert.Equal("j-1", state.GetProperty("JobId").GetString());
        Assert.Equal(1.5, state.GetProperty("ElapsedMs").GetDouble());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("Queue").ValueKind);
        Assert.Equal("r-1", entry.GetProperty("Scopes")[0].GetProperty("request_id").GetString());

        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("Error", second.RootElement.GetProperty("LogLevel").GetString());
        Assert.Contains("broken", second.RootElement.GetProperty("Exception").GetString());
        Assert.Equal(3, second.RootElement.GetProperty("State").GetProperty("Count").GetInt32());
        Assert.Equal(0, second.RootElement.GetProperty("Scopes").GetArrayLength());
    }

    [Fact]
    public void Lines_from_many_threads_arrive_whole_and_each_thread_in_its_order()
    {
        var output = new MemoryStream();
        using (var writer = new LogLineWriter(output))
        {
            Parallel.For(0, 4, thread =>
            {
                for (var i = 0; i < 5_000; i++)
                {
                    writer.Write(Encoding.UTF8.GetBytes($"{thread} {i}\n"));
                }
            });
        }

        var next = new int[4];
        foreach (var line in Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            var thread = int.Parse(parts[0]);
            Assert.Equal(next[thread], int.Parse(parts[1]));
            next[thread]++;
        }

        Assert.Equal([5_000, 5_000, 5_000, 5_000], next);
    }

    [Fact]
    public void A_stalled_output_drops_lines_past_the_bound_and_reports_how_many_when_it_moves()
    {
        using var output = new StallingStream();
        var writer = new LogLineWriter(output);
        writer.Write("first\n"u8);
        Assert.True(output.WriteStarted.Wait(TimeSpan.FromSeconds(10)));

        // The writer is stuck in its first write: what arrives meanwhile is held up to the bound.
        var line = Encoding.UTF8.GetBytes(new string('x', 1023) + "\n");
        var lines = (LogLineWriter.MaxPendingBytes / line.Length) + 100;
        for (var i = 0; i < lines; i++)
        {
            writer.Write(line);
        }

        Assert.Equal(100, writer.Dropped);
        output.Release.Set();
        writer.Dispose();

        var text = Encoding.UTF8.GetString(output.Written.ToArray());
        Assert.StartsWith("first\n", text);
        Assert.Contains("100 log lines were dropped", text);
        Assert.Equal(lines - 100, text.Split('\n').Count(l => l.Length == 1023));
    }

    /// <summary>An output whose writes block until released, like a pipe nobody reads.</summary>
    private sealed class StallingStream : Stream
    {
        public ManualResetEventSlim WriteStarted { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public MemoryStream Written { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written.Length;

        public override long Position { get => Written.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            WriteStarted.Set();
            Release.Wait();
            Written.Write(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

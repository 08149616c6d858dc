namespace Spooled.Http.Logging;

/// <summary>
/// Writes log lines to a stream from one background thread, many lines per write. A busy server logs
/// a line per request; writing each one as it comes would cost a thread wake-up and a system call
/// per request. Here the first line into an empty buffer wakes the writer, which then pauses a few
/// milliseconds after each write so that the lines of that moment go out together. The buffer is
/// bounded: when the output stalls (a pipe nobody reads), lines are dropped and counted rather than
/// holding requests up or growing memory, and the count is reported once the output moves again.
/// </summary>
internal sealed class LogLineWriter : IDisposable
{
    /// <summary>The most bytes held for the output; past it new lines are dropped.</summary>
    public const int MaxPendingBytes = 4 * 1024 * 1024;

    private static readonly TimeSpan s_gatherTime = TimeSpan.FromMilliseconds(10);

    private readonly Stream _output;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private byte[] _pending = new byte[64 * 1024];
    private int _pendingLength;
    private byte[] _writing = new byte[64 * 1024];
    private long _dropped;
    private bool _writerWaiting;
    private bool _disposed;

    public LogLineWriter(Stream output)
    {
        _output = output;
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "spooled-log-out" };
        _thread.Start();
    }

    /// <summary>Lines dropped because the output did not keep up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues one or more whole lines (ending in a newline) for the output.</summary>
    public void Write(ReadOnlySpan<byte> lines)
    {
        lock (_gate)
        {
            if (_disposed || _pendingLength + lines.Length > MaxPendingBytes)
            {
                _dropped++;
                return;
            }

            if (_pendingLength + lines.Length > _pending.Length)
            {
                Array.Resize(ref _pending, Math.Min(MaxPendingBytes, Math.Max(2 * _pending.Length, _pendingLength + lines.Length)));
            }

            lines.CopyTo(_pending.AsSpan(_pendingLength));
            var wasEmpty = _pendingLength == 0;
            _pendingLength += lines.Length;
            if (wasEmpty && _writerWaiting)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Writes what is queued and stops the writer.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
    }

    private void WriteLoop()
    {
        long reportedDrops = 0;
        while (true)
        {
            int length;
            long dropped;
            bool stopping;
            lock (_gate)
            {
                while (_pendingLength == 0 && !_disposed)
                {
                    _writerWaiting = true;
                    Monitor.Wait(_gate);
                    _writerWaiting = false;
                }

                (_pending, _writing) = (_writing, _pending);
                length = _pendingLength;
                _pendingLength = 0;
                dropped = _dropped;
                stopping = _disposed;
            }

            try
            {
                if (dropped > reportedDrops)
                {
                    _output.Write(DropNotice(dropped - reportedDrops));
                    reportedDrops = dropped;
                }

                _output.Write(_writing, 0, length);
                _output.Flush();
            }
            catch (IOException)
            {
                // Nowhere left to report it (the output is the log): the server carries on.
            }
            catch (ObjectDisposedException)
            {
            }

            if (stopping)
            {
                return;
            }

            Thread.Sleep(s_gatherTime);
        }
    }

    private static byte[] DropNotice(long count) => System.Text.Encoding.UTF8.GetBytes(
        $"{{\"Timestamp\":\"{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"EventId\":0,\"LogLevel\":\"Warning\",\"Category\":\"Spooled.Http.Logging\",\"Message\":\"{count} log lines were dropped because the output did not keep up\"}}\n");
}

using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Spooled.Http.Tests.Realtime;

/// <summary>
/// A minimal EventSource: opens a stream, then hands out its messages one at a time. Comments
/// (keep-alives) are counted, not returned. Every read has a deadline, so a missing event fails the
/// test instead of hanging it.
/// </summary>
internal sealed class SseReader : IAsyncDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public int Comments { get; private set; }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens <paramref name="path"/>; asserts 200 and <c>text/event-stream</c>, as soon as the headers arrive.</summary>
    public static async Task<SseReader> OpenAsync(HttpClient client, string path, long? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }

        using var timeout = new CancellationTokenSource(s_deadline);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"stream {path} answered {(int)response.StatusCode}: {text}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(response, await response.Content.ReadAsStreamAsync(timeout.Token));
    }

    /// <summary>The next message, or null when the server ended the stream.</summary>
    public async Task<SseFrame?> NextAsync()
    {
        using var timeout = new CancellationTokenSource(s_deadline);
        long? id = null;
        string? data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new SseFrame(id, JsonDocument.Parse(data).RootElement.Clone());
                }

                continue;
            }

            if (line[0] == ':')
            {
                Comments++;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
            else
            {
                throw new InvalidOperationException("unexpected SSE line: " + line);
            }
        }
    }

    /// <summary>The next message of type <paramref name="type"/>, skipping others (at most 10,000).</summary>
    public async Task<SseFrame> NextOfTypeAsync(string type)
    {
        for (var i = 0; i < 10_000; i++)
        {
            var frame = await NextAsync() ?? throw new InvalidOperationException($"the stream ended before a {type} event");
            if (frame.Type == type)
            {
                return frame;
            }
        }

        throw new InvalidOperationException($"no {type} event in 10,000");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}

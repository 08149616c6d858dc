using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Spooled.LoadGen;

/// <summary>
/// The job routes a load generator calls, over one shared <see cref="HttpClient"/>. HTTP/1.1
/// keep-alive with a connection pool sized to the concurrency, so the figures measure the server
/// and not connection setup. Bodies are sent from caller-owned bytes (no serialization per request);
/// failures are counted in the <see cref="ErrorTally"/> and reported as a false or zero result.
/// Cancellation by the run itself is not an error and propagates as <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class SpooledClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ErrorTally _errors;

    public SpooledClient(Uri baseUrl, string apiKey, int connections, ErrorTally errors)
    {
        _errors = errors;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = new Uri(baseUrl, "api/v1/"),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            // Longer than the longest long poll (30 s), so only a truly stuck request times out.
            Timeout = TimeSpan.FromSeconds(60),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <summary>
    /// Checks reachability and the key before any load, so a typo costs one clear sentence instead
    /// of a run full of errors.
    /// </summary>
    public async Task ProbeAsync(CancellationToken cancel)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync("jobs/stats", cancel);
        }
        catch (HttpRequestException ex)
        {
            throw new FatalRunException($"cannot reach the Spooled server at {_http.BaseAddress}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new FatalRunException($"the Spooled server at {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new FatalRunException("the server refused the API key (401 Unauthorized): check --api-key");
            }

            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancel);
                throw new FatalRunException($"the server answered GET /api/v1/jobs/stats with {(int)response.StatusCode} {response.ReasonPhrase}: {text}");
            }
        }
    }

    /// <summary><c>POST /jobs</c>; true when the job was accepted (201, or 200 for a duplicate).</summary>
    public async Task<bool> EnqueueAsync(ReadOnlyMemory<byte> body, CancellationToken cancel)
    {
        using var response = await SendAsync("jobs", body, cancel);
        return response is not null;
    }

    /// <summary><c>POST /jobs/bulk</c>; the number of jobs accepted.</summary>
    public async Task<int> EnqueueBulkAsync(ReadOnlyMemory<byte> body, CancellationToken cancel)
    {
        using var response = await SendAsync("jobs/bulk", body, cancel);
        return response is null ? 0 : await ReadCountsAsync(response, cancel);
    }

    /// <summary><c>POST /jobs/claim</c>; null on error, an empty list when nothing was ready.</summary>
    public async Task<List<ClaimedJob>?> ClaimAsync(ReadOnlyMemory<byte> body, CancellationToken cancel)
    {
        using var response = await SendAsync("jobs/claim", body, cancel);
        if (response is null)
        {
            return null;
        }

        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancel);
            var claim = await JsonSerializer.DeserializeAsync(stream, LoadGenJsonContext.Default.ClaimResponse, cancel);
            return claim?.Jobs ?? [];
        }
        catch (JsonException)
        {
            _errors.BadResponse();
            return null;
        }
    }

    /// <summary><c>POST /jobs/{id}/complete</c>.</summary>
    public async Task<bool> CompleteAsync(string jobId, ReadOnlyMemory<byte> body, CancellationToken cancel)
    {
        using var response = await SendAsync("jobs/" + jobId + "/complete", body, cancel);
        return response is not null;
    }

    /// <summary><c>POST /jobs/batch/complete</c>; the number of jobs completed.</summary>
    public async Task<int> CompleteBatchAsync(ReadOnlyMemory<byte> body, CancellationToken cancel)
    {
        using var response = await SendAsync("jobs/batch/complete", body, cancel);
        return response is null ? 0 : await ReadCountsAsync(response, cancel);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends a JSON POST; the response when it is 2xx, null (counted) otherwise.</summary>
    private async Task<HttpResponseMessage?> SendAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancel);
        }
        catch (HttpRequestException)
        {
            _errors.Connection();
            return null;
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            _errors.Timeout();
            return null;
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        _errors.Status((int)response.StatusCode);
        response.Dispose();
        return null;
    }

    private async Task<int> ReadCountsAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancel);
            var counts = await JsonSerializer.DeserializeAsync(stream, LoadGenJsonContext.Default.ItemCounts, cancel);
            if (counts is null)
            {
                _errors.BadResponse();
                return 0;
            }

            if (counts.FailureCount > 0)
            {
                _errors.ItemFailures(counts.FailureCount);
            }

            return counts.SuccessCount;
        }
        catch (JsonException)
        {
            _errors.BadResponse();
            return 0;
        }
    }
}

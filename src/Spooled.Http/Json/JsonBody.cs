using System.Buffers;
using System.Text.Json;
using Spooled.Http.Errors;

namespace Spooled.Http.Json;

/// <summary>
/// Reads a request's JSON body with the API's errors instead of the framework's: 413 past 2 MiB,
/// 415 for a non-JSON content type, 400 <c>INVALID_JSON</c> for bad syntax, wrong types or missing
/// fields. An empty body is accepted where the route has no required fields (the SDKs send
/// <c>Content-Type: application/json</c> with no body on pause, retry and friends).
/// </summary>
public static class JsonBody
{
    /// <summary>Largest request body accepted.</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    /// <summary>Reads and parses the body; <paramref name="whenEmpty"/> is returned for an empty body (null: empty is an error).</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, T? whenEmpty = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBodyBytes)
        {
            await DrainAsync(request);
            throw TooLarge();
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, MaxBodyBytes) + 1);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > MaxBodyBytes)
                    {
                        throw TooLarge();
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > MaxBodyBytes)
                {
                    await DrainAsync(request);
                    throw TooLarge();
                }
            }

            if (IsBlank(buffer.AsSpan(0, length)))
            {
                return whenEmpty ?? throw Invalid("body", "Request body is empty or incomplete");
            }

            if (!IsJsonContentType(request.ContentType))
            {
                throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
            }

            try
            {
                return JsonSerializer.Deserialize(buffer.AsSpan(0, length), ApiJson.Info<T>())
                    ?? whenEmpty
                    ?? throw Invalid("body", "Request body must be a JSON object");
            }
            catch (JsonException error)
            {
                throw Invalid(FieldOf(error.Path), Describe(error));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads and drops the rest of an oversized body (up to a bound), so the client, still sending,
    /// receives the 413 instead of a reset connection. Past the bound the connection is let go.
    /// </summary>
    private static async Task DrainAsync(HttpRequest request)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long drained = 0;
            int read;
            while (drained < 4L * MaxBodyBytes && (read = await request.Body.ReadAsync(scratch, request.HttpContext.RequestAborted)) > 0)
            {
                drained += read;
            }
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's own body limit cut it off: the 413 still goes out.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsJsonContentType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var media = contentType.AsSpan();
        var semicolon = media.IndexOf(';');
        if (semicolon >= 0)
        {
            media = media[..semicolon];
        }

        media = media.Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.EndsWith("+json", StringComparison.OrdinalIgnoreCase) && media.StartsWith("application/", StringComparison.OrdinalIgnoreCase));
    }

    private static ApiException TooLarge() => new(413, "PAYLOAD_TOO_LARGE", "Request body exceeds 2 MiB");

    private static ApiException Invalid(string field, string message) =>
        new(400, "INVALID_JSON", "Invalid JSON", [new ErrorDetail(field, message, "PARSE_ERROR")]);

    /// <summary>The offending property from a JSON path like <c>$.jobs[2].priority</c>, or <c>body</c>.</summary>
    private static string FieldOf(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string Describe(JsonException error)
    {
        var message = error.Message;
        if (message.Contains("missing required properties", StringComparison.OrdinalIgnoreCase))
        {
            var at = message.IndexOf("including: ", StringComparison.Ordinal);
            return at >= 0 ? "Missing required field: " + message[(at + 11)..].TrimEnd('.', ' ') : "Missing required field";
        }

        if (message.Contains("could not be converted", StringComparison.OrdinalIgnoreCase))
        {
            return "Invalid value type";
        }

        return "Invalid JSON format";
    }
}

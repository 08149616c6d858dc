using System.Text.Json;
using Spooled.Broker;
using Spooled.Http.Json;

namespace Spooled.Http.Errors;

/// <summary>
/// Turns every refusal into the contract's JSON error body with the right status, and anything
/// unexpected into a 500 without internals (logged with the request id).
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiException error)
        {
            await WriteAsync(context, error.Status, error.Code, error.Message, error.Details, error.Headers);
        }
        catch (BrokerException error)
        {
            var (status, code) = Map(error.Code);
            IReadOnlyList<ErrorDetail>? details = null;
            if (error.Details is { } fields)
            {
                var list = new ErrorDetail[fields.Count];
                for (var i = 0; i < fields.Count; i++)
                {
                    list[i] = new ErrorDetail(fields[i].Field, fields[i].Message, fields[i].Code);
                }

                details = list;
            }

            await WriteAsync(context, status, code, error.Message, details, null);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (BadHttpRequestException error)
        {
            await WriteAsync(context, error.StatusCode, error.StatusCode == 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", error.Message, null, null);
        }
        catch (Exception error) when (!context.Response.HasStarted)
        {
            LogUnexpected(logger, error, context.TraceIdentifier);
            await WriteAsync(context, 500, "INTERNAL_ERROR", "An internal error occurred", null, null);
        }
    }

    public static (int Status, string Code) Map(BrokerErrorCode code) => code switch
    {
        BrokerErrorCode.NotFound => (404, "NOT_FOUND"),
        BrokerErrorCode.Conflict => (409, "CONFLICT"),
        BrokerErrorCode.LeaseExpired => (409, "LEASE_EXPIRED"),
        BrokerErrorCode.Validation => (400, "VALIDATION_ERROR"),
        BrokerErrorCode.PayloadTooLarge => (413, "PAYLOAD_TOO_LARGE"),
        BrokerErrorCode.Forbidden => (403, "ACCESS_DENIED"),
        _ => (503, "SERVICE_UNAVAILABLE"),
    };

    internal static async Task WriteAsync(HttpContext context, int status, string code, string message, IReadOnlyList<ErrorDetail>? details, IReadOnlyDictionary<string, string>? headers)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear(); // Also clears the headers set on the way in; the request id goes back on.
        context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
        if (context.Request.Path.StartsWithSegments("/api/v1", StringComparison.Ordinal))
        {
            context.Response.Headers["X-API-Version"] = "1";
        }

        context.Response.StatusCode = status;
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }
        }

        context.Response.ContentType = "application/json";
        var body = new ErrorBody { Code = code, Message = message, Details = details };
        await JsonSerializer.SerializeAsync(context.Response.Body, body, ApiJson.Info<ErrorBody>(), context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in request {RequestId}")]
    private static partial void LogUnexpected(ILogger logger, Exception error, string requestId);
}

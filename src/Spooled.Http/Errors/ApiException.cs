using System.Net;

namespace Spooled.Http.Errors;

/// <summary>A request the API refuses, with the status and the contract's error body.</summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ApiException(int status, string code, string message, IReadOnlyList<ErrorDetail>? details = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Details = details;
    }

    /// <summary>Creates the exception.</summary>
    public ApiException()
        : this((int)HttpStatusCode.InternalServerError, "INTERNAL_ERROR", "An internal error occurred")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ApiException(string message)
        : this((int)HttpStatusCode.BadRequest, "BAD_REQUEST", message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = (int)HttpStatusCode.InternalServerError;
        Code = "INTERNAL_ERROR";
    }

    /// <summary>HTTP status.</summary>
    public int Status { get; }

    /// <summary>Machine-readable code (<c>NOT_FOUND</c>, <c>VALIDATION_ERROR</c>…).</summary>
    public string Code { get; }

    /// <summary>Per-field details.</summary>
    public IReadOnlyList<ErrorDetail>? Details { get; }

    /// <summary>Extra response headers (e.g. <c>Retry-After</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>400 VALIDATION_ERROR naming one field.</summary>
    public static ApiException Invalid(string field, string message, string code = "invalid") =>
        new(400, "VALIDATION_ERROR", "Validation failed", [new ErrorDetail(field, message, code)]);

    /// <summary>404 NOT_FOUND.</summary>
    public static ApiException NotFound(string what = "Resource") => new(404, "NOT_FOUND", what + " not found");

    /// <summary>400 BAD_REQUEST.</summary>
    public static ApiException BadRequest(string message) => new(400, "BAD_REQUEST", message);

    /// <summary>401 UNAUTHORIZED.</summary>
    public static ApiException Unauthorized(string message) => new(401, "UNAUTHORIZED", message);

    /// <summary>403 ACCESS_DENIED.</summary>
    public static ApiException Forbidden(string message) => new(403, "ACCESS_DENIED", message);
}

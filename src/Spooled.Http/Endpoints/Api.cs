using System.Globalization;
using Spooled.Http.Errors;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>Small helpers every endpoint group uses: typed JSON results, ids, query parameters.</summary>
internal static class Api
{
    /// <summary>A JSON response through the API's source-generated metadata.</summary>
    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(value, ApiJson.Info<T>(), contentType: "application/json", statusCode: status);

    /// <summary>A path id; a malformed one is 404 like an unknown one (there is nothing by that id).</summary>
    public static Guid Id(string text, string what = "Resource") =>
        Guid.TryParse(text, out var id) ? id : throw ApiException.NotFound(what);

    /// <summary>An optional integer query parameter within bounds, else 400 naming it.</summary>
    public static int QueryInt(HttpRequest request, string name, int fallback, int min, int max)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw ApiException.Invalid(name, string.Create(CultureInfo.InvariantCulture, $"{name} must be an integer from {min} to {max}"), "range");
    }

    /// <summary>An optional string query parameter (null when absent or empty).</summary>
    public static string? Query(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } value ? value : null;
}

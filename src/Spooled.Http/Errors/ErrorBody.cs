namespace Spooled.Http.Errors;

/// <summary>
/// The one error shape: <c>{"code","message","details"?,"error"}</c>, where <c>error</c> mirrors
/// <c>message</c> for clients that read the reference's other shapes.
/// </summary>
public sealed class ErrorBody
{
    /// <summary>Machine-readable code.</summary>
    public required string Code { get; init; }

    /// <summary>Human-readable message.</summary>
    public required string Message { get; init; }

    /// <summary>Per-field details, omitted when there are none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ErrorDetail>? Details { get; init; }

    /// <summary>Same as <see cref="Message"/>.</summary>
    public string Error => Message;
}

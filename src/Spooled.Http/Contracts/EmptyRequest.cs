namespace Spooled.Http.Contracts;

/// <summary>A body that carries nothing the route needs (any JSON object is accepted).</summary>
public sealed class EmptyRequest
{
    /// <summary>The shared instance, for an empty body.</summary>
    public static readonly EmptyRequest Instance = new();
}

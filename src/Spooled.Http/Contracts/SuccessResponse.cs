namespace Spooled.Http.Contracts;

/// <summary><c>{"success": true}</c>, what the SDKs check after complete, fail and heartbeat.</summary>
public sealed class SuccessResponse
{
    /// <summary>The shared instance.</summary>
    public static readonly SuccessResponse Instance = new();

    /// <summary>Always true.</summary>
    public bool Success => true;
}

using Spooled.Http.Errors;

namespace Spooled.Http.Auth;

/// <summary>Who is calling: the organization and the key (directly, or behind an access token).</summary>
public sealed record Caller(string OrganizationId, Guid ApiKeyId, IReadOnlyList<string> Queues, bool ViaToken)
{
    private const string ItemKey = "spooled.caller";

    /// <summary>Whether the key may use <paramref name="queue"/> (no scope, or <c>*</c>, means every queue).</summary>
    public bool MayUse(string queue)
    {
        if (Queues.Count == 0)
        {
            return true;
        }

        foreach (var allowed in Queues)
        {
            if (allowed == "*" || string.Equals(allowed, queue, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    internal void AttachTo(HttpContext context) => context.Items[ItemKey] = this;

    /// <summary>The authenticated caller, or 401.</summary>
    public static Caller Require(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var caller) && caller is Caller known
            ? known
            : throw ApiException.Unauthorized("Missing or invalid Authorization header");
    }

    /// <summary>The authenticated caller, if any.</summary>
    public static Caller? Find(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var caller) ? caller as Caller : null;
}

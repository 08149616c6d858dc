using System.Globalization;
using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Contracts.ApiKeys;
using Spooled.Http.Errors;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>
/// API key routes of the caller's organization: list, mint, read, change, revoke. A revoked key
/// (and every token issued for it) stops working on the next request and cannot be re-activated.
/// </summary>
internal static class ApiKeyEndpoints
{
    private const int MaxListed = 100;
    private const int MaxQueues = 50;
    private const int MaxQueueLength = 255;

    public static void Map(IEndpointRouteBuilder routes)
    {
        var keys = routes.MapGroup("/api/v1/api-keys");
        keys.MapGet("", ListAsync);
        keys.MapPost("", CreateAsync);
        keys.MapGet("/{id}", GetAsync);
        keys.MapPut("/{id}", UpdateAsync);
        keys.MapDelete("/{id}", RevokeAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var keys = await broker.ListApiKeysAsync(caller.OrganizationId);
        var items = new List<ApiKeyResponse>(Math.Min(keys.Count, MaxListed));
        for (var i = 0; i < keys.Count && i < MaxListed; i++)
        {
            items.Add(ApiKeyResponse.From(keys[i]));
        }

        return Api.Json(items);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        OrganizationEndpoints.RequireAllQueues(caller);
        var body = await JsonBody.ReadAsync<CreateApiKeyRequest>(context.Request);
        Validate(body.Name, body.Queues, nameRequired: true);
        var key = await broker.CreateApiKeyAsync(caller.OrganizationId, body.Name, body.Queues, body.RateLimit, body.ExpiresAt);
        return Api.Json(CreateApiKeyResponse.From(key), StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        return Api.Json(ApiKeyResponse.From(await broker.GetApiKeyAsync(caller.OrganizationId, Api.Id(id, "API key"))));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var keyId = Api.Id(id, "API key");
        var current = await broker.GetApiKeyAsync(caller.OrganizationId, keyId); // 404 before 403 for another tenant's key.
        OrganizationEndpoints.RequireAllQueues(caller);
        var body = await JsonBody.ReadAsync<UpdateApiKeyRequest>(context.Request);
        Validate(body.Name, body.Queues, nameRequired: false);
        if (body.Name is null && body.Queues is null && body.RateLimit is null && body.IsActive is null)
        {
            return Api.Json(ApiKeyResponse.From(current));
        }

        var key = await broker.UpdateApiKeyAsync(caller.OrganizationId, keyId, new ApiKeyUpdate
        {
            Name = body.Name,
            Queues = body.Queues,
            RateLimit = body.RateLimit,
            IsActive = body.IsActive,
        });
        return Api.Json(ApiKeyResponse.From(key));
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var keyId = Api.Id(id, "API key");
        await broker.GetApiKeyAsync(caller.OrganizationId, keyId);
        OrganizationEndpoints.RequireAllQueues(caller);
        await broker.RevokeApiKeyAsync(caller.OrganizationId, keyId);
        return Results.NoContent();
    }

    /// <summary>
    /// The reference's rules the broker does not check itself: a name of ASCII letters, digits,
    /// spaces and <c>- _ . ( )</c>; at most 50 queue names of 1..255 letters, digits and
    /// <c>- _ . *</c> (letters of any script, as queue names allow).
    /// Lengths of names, rate limits and expiry are the broker's to check.
    /// </summary>
    internal static void Validate(string? name, IReadOnlyList<string>? queues, bool nameRequired)
    {
        var errors = new List<ErrorDetail>();
        if (name is null)
        {
            if (nameRequired)
            {
                errors.Add(new ErrorDetail("name", "name is required", "required"));
            }
        }
        else if (name.Length is < 1 or > 100)
        {
            errors.Add(new ErrorDetail("name", "name must be 1-100 characters", "length"));
        }
        else if (!IsKeyName(name))
        {
            errors.Add(new ErrorDetail("name", "name may contain only letters, digits, spaces and - _ . ( )", "pattern"));
        }

        if (queues is not null)
        {
            if (queues.Count > MaxQueues)
            {
                errors.Add(new ErrorDetail("queues", "at most 50 queues", "length"));
            }

            for (var i = 0; i < queues.Count; i++)
            {
                if (!IsQueuePattern(queues[i]))
                {
                    var field = string.Create(CultureInfo.InvariantCulture, $"queues[{i}]");
                    errors.Add(new ErrorDetail(field, "a queue must be 1-255 characters of letters, digits and - _ . *", "pattern"));
                    break;
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ApiException(400, "VALIDATION_ERROR", "Validation failed", errors);
        }
    }

    private static bool IsKeyName(string name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not (' ' or '-' or '_' or '.' or '(' or ')'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsQueuePattern(string? queue)
    {
        if (string.IsNullOrEmpty(queue) || queue.Length > MaxQueueLength)
        {
            return false;
        }

        foreach (var c in queue)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('-' or '_' or '.' or '*'))
            {
                return false;
            }
        }

        return true;
    }
}

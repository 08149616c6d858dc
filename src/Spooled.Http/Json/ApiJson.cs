using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Spooled.Http.Json;

/// <summary>
/// The serializer options of the whole API: snake_case names, nulls written (the contract
/// serializes optional fields as <c>null</c>), and only source-generated metadata — one context per
/// endpoint group, chained here.
/// </summary>
public static class ApiJson
{
    /// <summary>The options every request and response goes through.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            PropertyNameCaseInsensitive = false,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,

            // An API, not HTML: quotes and apostrophes in messages stay readable.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        foreach (var resolver in Contracts.ContractContexts.All)
        {
            options.TypeInfoResolverChain.Add(resolver);
        }

        options.MakeReadOnly();
        return options;
    }

    /// <summary>The metadata for <typeparamref name="T"/> (it must be in one of the contract contexts).</summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}

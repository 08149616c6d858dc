using System.Text.Json.Serialization.Metadata;

namespace Spooled.Http.Contracts;

/// <summary>Every source-generated serializer context of the API, one per endpoint group.</summary>
internal static class ContractContexts
{
    public static IReadOnlyList<IJsonTypeInfoResolver> All { get; } =
    [
        CommonJsonContext.Default,
        Jobs.JobsJsonContext.Default,
    ];
}

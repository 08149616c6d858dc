using System.Text.Json.Serialization.Metadata;

namespace Spooled.Http.Contracts;

/// <summary>Every source-generated serializer context of the API, one per endpoint group.</summary>
internal static class ContractContexts
{
    public static IReadOnlyList<IJsonTypeInfoResolver> All { get; } =
    [
        CommonJsonContext.Default,
        Jobs.JobsJsonContext.Default,
        Organizations.OrganizationsJsonContext.Default,
        ApiKeys.ApiKeysJsonContext.Default,
        Auth.AuthJsonContext.Default,
        Admin.AdminJsonContext.Default,
        Dashboard.DashboardJsonContext.Default,
        WorkerPath.WorkerPathJsonContext.Default,
        DeadLetter.DeadLetterJsonContext.Default,
        Queues.QueuesJsonContext.Default,
        Workers.WorkersJsonContext.Default,
    ];
}

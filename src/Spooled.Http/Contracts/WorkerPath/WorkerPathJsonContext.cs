using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.WorkerPath;

/// <summary>Serializer metadata for the worker's job routes (claim, acknowledge, heartbeat, progress).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ClaimJobsRequest))]
[JsonSerializable(typeof(ClaimJobsResponse))]
[JsonSerializable(typeof(CompleteJobRequest))]
[JsonSerializable(typeof(FailJobRequest))]
[JsonSerializable(typeof(FailJobResponse))]
[JsonSerializable(typeof(JobHeartbeatRequest))]
[JsonSerializable(typeof(JobHeartbeatResponse))]
[JsonSerializable(typeof(JobProgressRequest))]
[JsonSerializable(typeof(BatchAckRequest))]
[JsonSerializable(typeof(BatchAckResponse))]
internal sealed partial class WorkerPathJsonContext : JsonSerializerContext;

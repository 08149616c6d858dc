using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Workers;

/// <summary>Serializer metadata for the worker registry routes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RegisterWorkerRequest))]
[JsonSerializable(typeof(RegisterWorkerResponse))]
[JsonSerializable(typeof(WorkerHeartbeatRequest))]
[JsonSerializable(typeof(List<WorkerSummaryResponse>))]
[JsonSerializable(typeof(WorkerResponse))]
internal sealed partial class WorkersJsonContext : JsonSerializerContext;

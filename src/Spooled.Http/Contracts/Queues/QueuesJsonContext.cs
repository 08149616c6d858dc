using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Queues;

/// <summary>Serializer metadata for the queue routes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<QueueSummaryResponse>))]
[JsonSerializable(typeof(QueueResponse))]
[JsonSerializable(typeof(QueueConfigRequest))]
[JsonSerializable(typeof(PauseQueueRequest))]
[JsonSerializable(typeof(QueuePausedResponse))]
[JsonSerializable(typeof(QueueResumedResponse))]
[JsonSerializable(typeof(QueueStatsResponse))]
internal sealed partial class QueuesJsonContext : JsonSerializerContext;

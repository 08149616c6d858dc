using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Jobs;

/// <summary>Serializer metadata for the job routes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreateJobRequest))]
[JsonSerializable(typeof(CreateJobResponse))]
[JsonSerializable(typeof(JobResponse))]
[JsonSerializable(typeof(List<JobSummaryResponse>))]
[JsonSerializable(typeof(List<JobStatusResponse>))]
[JsonSerializable(typeof(JobStatsResponse))]
[JsonSerializable(typeof(BulkJobsRequest))]
[JsonSerializable(typeof(BulkJobsResponse))]
[JsonSerializable(typeof(PriorityRequest))]
[JsonSerializable(typeof(PriorityResponse))]
internal sealed partial class JobsJsonContext : JsonSerializerContext;

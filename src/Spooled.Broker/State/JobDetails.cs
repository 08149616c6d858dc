namespace Spooled.Broker.State;

/// <summary>The fields most waiting jobs do not have.</summary>
internal sealed class JobDetails
{
    public long StartedAt { get; set; }

    public long AttemptStartedAt { get; set; }

    public long CompletedAt { get; set; }

    public long ExpiresAt { get; set; }

    public byte[]? Result { get; set; }

    public string? LastError { get; set; }

    public byte[]? Tags { get; set; }

    /// <summary>Tags as matched by list filters: string array elements and object keys.</summary>
    public string[]? TagNames { get; set; }

    public string? IdempotencyKey { get; set; }

    public string? CompletionWebhook { get; set; }

    public Guid ParentJobId { get; set; }

    public string? WorkerId { get; set; }

    public Guid LeaseId { get; set; }

    public long LeaseExpiresAt { get; set; }

    public byte[]? Progress { get; set; }

    /// <summary>A shallow copy: the arrays and strings it points to are never changed in place.</summary>
    public JobDetails Clone() => (JobDetails)MemberwiseClone();
}

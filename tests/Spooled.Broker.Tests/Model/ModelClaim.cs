namespace Spooled.Broker.Tests.Model;

/// <summary>
/// A lease as the worker that received it knows it. Kept apart from the job so the "one valid
/// lease per job" invariant is checked on what the broker handed out, not on what the model predicts.
/// </summary>
internal sealed class ModelClaim
{
    public required int JobN { get; init; }

    public required Guid JobId { get; init; }

    public required string Worker { get; init; }

    public required Guid LeaseId { get; init; }

    /// <summary>The expiry the broker last told the worker.</summary>
    public required DateTimeOffset ExpiresAt { get; set; }

    /// <summary>False once the worker knows the lease ended: acknowledged, refused, released or past its expiry.</summary>
    public bool Active { get; set; } = true;

    public ModelClaim Clone() => (ModelClaim)MemberwiseClone();

    public override string ToString() => $"lease {LeaseId} of job {JobN} held by {Worker} until {ExpiresAt:O}";
}

namespace Spooled.Broker;

/// <summary>Why the broker refused an operation; the HTTP layer maps each to a status and code.</summary>
public enum BrokerErrorCode
{
    /// <summary>No such entity in the caller's organization (another tenant's ids included).</summary>
    NotFound,

    /// <summary>The entity is in a state that does not allow the operation.</summary>
    Conflict,

    /// <summary>The lease named by the caller is no longer the job's current lease.</summary>
    LeaseExpired,

    /// <summary>A field failed validation; <see cref="BrokerException.Details"/> lists them.</summary>
    Validation,

    /// <summary>A payload or the whole request is larger than allowed.</summary>
    PayloadTooLarge,

    /// <summary>The caller's credentials do not allow the operation.</summary>
    Forbidden,

    /// <summary>The broker cannot accept writes (its log failed, or it is shutting down).</summary>
    Unavailable,
}

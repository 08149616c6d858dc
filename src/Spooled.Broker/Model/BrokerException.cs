namespace Spooled.Broker;

/// <summary>An operation the broker refused; nothing was changed.</summary>
public sealed class BrokerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BrokerException(BrokerErrorCode code, string message, IReadOnlyList<FieldError>? details = null)
        : base(message)
    {
        Code = code;
        Details = details;
    }

    /// <summary>Creates the exception.</summary>
    public BrokerException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BrokerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BrokerException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = BrokerErrorCode.Unavailable;
    }

    /// <summary>The kind of refusal.</summary>
    public BrokerErrorCode Code { get; }

    /// <summary>For <see cref="BrokerErrorCode.Validation"/>: each failed field.</summary>
    public IReadOnlyList<FieldError>? Details { get; }

    internal static BrokerException NotFound(string what) => new(BrokerErrorCode.NotFound, what + " not found");

    internal static BrokerException Conflict(string message) => new(BrokerErrorCode.Conflict, message);

    internal static BrokerException Invalid(string field, string message, string code = "range") =>
        new(BrokerErrorCode.Validation, "Validation failed", [new FieldError(field, message, code)]);
}

namespace Spooled.Broker.Records;

/// <summary>
/// A broker record that is CRC-intact in the log but does not decode or does not apply to the state
/// it follows: a bug or a format mismatch. The broker refuses to start rather than guess.
/// </summary>
public sealed class BrokerRecordException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BrokerRecordException(string message)
        : base("Broker record cannot be applied: " + message)
    {
    }

    /// <summary>Creates the exception with the position of the failing record.</summary>
    public BrokerRecordException(string message, long position, Exception? inner)
        : base($"Broker record at log position {position} cannot be applied: {message}", inner)
    {
        Position = position;
    }

    /// <summary>Creates the exception.</summary>
    public BrokerRecordException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BrokerRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Log position of the record, when known.</summary>
    public long Position { get; } = -1;
}

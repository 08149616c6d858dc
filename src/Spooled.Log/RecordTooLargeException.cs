namespace Spooled.Log;

/// <summary>An append was larger than <see cref="LogOptions.MaxRecordSize"/>; nothing was written.</summary>
public sealed class RecordTooLargeException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public RecordTooLargeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RecordTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public RecordTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal RecordTooLargeException(int length, int limit)
        : base($"A record of {length} bytes exceeds the log's limit of {limit} bytes (LogOptions.MaxRecordSize); nothing was written.")
    {
        Length = length;
        Limit = limit;
    }

    /// <summary>The rejected record's length.</summary>
    public int Length { get; }

    /// <summary>The limit in force.</summary>
    public int Limit { get; }
}

namespace Spooled.Log;

/// <summary>
/// A write or fsync failed, so the log stopped acknowledging anything: after a failed fsync the
/// kernel may already have dropped the dirty pages, and a retry could "succeed" over lost data. The
/// failed batch and every later append get this exception; reopen the log to recover.
/// </summary>
public sealed class LogFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LogFailedException()
        : base("The log has failed and acknowledges nothing more.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LogFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the I/O error that caused it.</summary>
    public LogFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether the cause was a full disk (ENOSPC).</summary>
    public bool DiskFull => InnerException is IOException io && IsDiskFull(io);

    internal static bool IsDiskFull(IOException exception) =>
        exception.HResult == 28 || (exception.HResult & 0xFFFF) == 0x70 /* ERROR_DISK_FULL */ || exception.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);

    internal static LogFailedException From(Exception cause, string file)
    {
        var message = cause is IOException io && IsDiskFull(io)
            ? $"The log could not write '{file}': the disk is full. Nothing after the last acknowledged record was acknowledged; free space and restart."
            : $"The log could not write or sync '{file}': {cause.Message}. Nothing after the last acknowledged record was acknowledged; restart to recover.";
        return new LogFailedException(message, cause);
    }
}

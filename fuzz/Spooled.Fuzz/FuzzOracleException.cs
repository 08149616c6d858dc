namespace Spooled.Fuzz;

/// <summary>A fuzz target's oracle found a property violated (as opposed to the code under test throwing).</summary>
public sealed class FuzzOracleException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzOracleException()
        : base("A fuzz oracle was violated.")
    {
    }

    /// <summary>Creates the exception with a message naming the violated property.</summary>
    public FuzzOracleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public FuzzOracleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Spooled.LoadGen;

/// <summary>A bad command line: reported with a pointer to <c>--help</c> and exit code 2, never as a stack trace.</summary>
internal sealed class UsageException(string message) : Exception(message);

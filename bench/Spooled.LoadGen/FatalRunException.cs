namespace Spooled.LoadGen;

/// <summary>
/// The run cannot start or go on (server unreachable, API key refused): reported as one plain
/// sentence with exit code 1, because a stack trace would hide the one thing the user must fix.
/// </summary>
internal sealed class FatalRunException(string message) : Exception(message);

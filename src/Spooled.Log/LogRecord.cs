namespace Spooled.Log;

/// <summary>One record read back from the log.</summary>
/// <param name="Position">The record's log position, as returned by the append.</param>
/// <param name="NextPosition">The position just after it (where a later scan may resume).</param>
/// <param name="Payload">The appended bytes. Valid only until the reader moves on: copy to keep.</param>
public readonly record struct LogRecord(long Position, long NextPosition, ReadOnlyMemory<byte> Payload);

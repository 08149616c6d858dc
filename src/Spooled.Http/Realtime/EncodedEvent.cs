namespace Spooled.Http.Realtime;

/// <summary>A broker event's wire forms, made once and shared by every stream that sends it.</summary>
internal sealed record EncodedEvent(byte[] Json, byte[] SseFrame);

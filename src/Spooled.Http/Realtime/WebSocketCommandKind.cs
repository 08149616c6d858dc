namespace Spooled.Http.Realtime;

/// <summary>What a client's WebSocket command asks for; the SDKs spell these in several cases.</summary>
internal enum WebSocketCommandKind
{
    /// <summary>Add (or replace) a subscription filter.</summary>
    Subscribe,

    /// <summary>Remove the subscription with the same queue, job and worker.</summary>
    Unsubscribe,

    /// <summary>Answer with a <c>Ping</c> event (an application-level liveness check).</summary>
    Ping,
}

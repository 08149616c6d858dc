namespace Spooled.Log.Format;

/// <summary>What a record is. Zero is deliberately invalid, so a zero-filled tail never decodes.</summary>
internal enum RecordType : byte
{
    /// <summary>An appended record: the caller's bytes.</summary>
    Data = 1,

    /// <summary>The commit marker that closes each write batch (see <see cref="CommitMarker"/>).</summary>
    Commit = 2,
}

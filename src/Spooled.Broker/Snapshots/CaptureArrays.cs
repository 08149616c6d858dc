namespace Spooled.Broker.Snapshots;

/// <summary>
/// Job-capture arrays kept from one snapshot to the next. A million-job capture array is a large
/// object; allocating a new one for every snapshot would trigger a full collection inside the
/// engine's pause. Only one snapshot is serialized at a time, and the engine takes the next only
/// after the previous one is written, so an array is never in two captures at once.
/// </summary>
internal sealed class CaptureArrays
{
    private readonly Dictionary<string, JobCapture[]> _byOrg = new(StringComparer.Ordinal);

    /// <summary>An array of at least <paramref name="length"/> items for <paramref name="orgId"/>, reused when it fits.</summary>
    public JobCapture[] Rent(string orgId, int length)
    {
        if (_byOrg.TryGetValue(orgId, out var array) && array.Length >= length && array.Length <= (2 * length) + 1024)
        {
            return array;
        }

        array = new JobCapture[length + (length / 4)];
        _byOrg[orgId] = array;
        return array;
    }

    /// <summary>Drops the references a serialized capture held (so payloads of removed jobs can be collected).</summary>
    public static void Release(JobCapture[] array, int used) => Array.Clear(array, 0, used);
}

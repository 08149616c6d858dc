namespace Spooled.Broker;

/// <summary>The wire names of <see cref="JobStatus"/>.</summary>
public static class JobStatusNames
{
    /// <summary>Number of statuses.</summary>
    public const int Count = 7;

    private static readonly string[] s_names = ["pending", "scheduled", "processing", "completed", "failed", "deadletter", "cancelled"];

    /// <summary>The wire name, e.g. <c>deadletter</c>.</summary>
    public static string ToWire(this JobStatus status) => s_names[(int)status];

    /// <summary>Parses a wire name (exact, lower case).</summary>
    public static bool TryParse(string? value, out JobStatus status)
    {
        for (var i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(s_names[i], value, StringComparison.Ordinal))
            {
                status = (JobStatus)i;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>Whether no further transition happens without an explicit retry.</summary>
    public static bool IsTerminal(this JobStatus status) =>
        status is JobStatus.Completed or JobStatus.Cancelled or JobStatus.DeadLetter or JobStatus.Failed;
}

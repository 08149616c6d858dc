using System.Text.Json;
using BenchmarkDotNet.Reports;

namespace Spooled.Benchmarks;

/// <summary>
/// Checks BenchmarkDotNet's allocated bytes per operation against allocation-budgets.json: a map from
/// "Namespace.Type.Method" to the most bytes one operation may allocate, for every parameter
/// combination. A benchmark without an entry is reported but not failed.
/// </summary>
internal static class AllocationBudgets
{
    private const string FileName = "allocation-budgets.json";

    /// <summary>Writes one line per benchmark case; false when any case is over its budget.</summary>
    public static bool Check(IEnumerable<Summary> summaries, TextWriter output)
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        var budgets = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(path)) ?? []
            : [];
        var ok = true;
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var benchmark = report.BenchmarkCase;
                var key = $"{benchmark.Descriptor.Type.FullName}.{benchmark.Descriptor.WorkloadMethod.Name}";
                var bytes = report.GcStats.GetBytesAllocatedPerOperation(benchmark);
                if (bytes is null)
                {
                    continue;
                }

                string verdict;
                if (!budgets.TryGetValue(key, out var budget))
                {
                    verdict = "no budget";
                }
                else if (bytes <= budget)
                {
                    verdict = $"within budget of {budget} B";
                }
                else
                {
                    verdict = $"OVER budget of {budget} B";
                    ok = false;
                }

                output.WriteLine($"allocation {key} [{benchmark.Parameters.DisplayInfo}]: {bytes} B/op, {verdict}");
            }
        }

        return ok;
    }
}

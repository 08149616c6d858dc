using BenchmarkDotNet.Running;
using Spooled.Benchmarks.Broker;
using Spooled.Benchmarks.Log;

namespace Spooled.Benchmarks;

/// <summary>
/// Entry point. <c>-- --filter '*Append*'</c> (any BenchmarkDotNet arguments) runs BenchmarkDotNet;
/// <c>-- throughput|latency|raw ...</c> runs one of the plain-console log modes (see <see cref="LogModes"/>),
/// <c>-- broker-throughput|broker-memory|broker-recovery|broker-snapshot ...</c> one of the broker's (see <see cref="BrokerModes"/>).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && LogModes.IsMode(args[0]))
        {
            return LogModes.Run(args);
        }

        if (args.Length > 0 && BrokerModes.IsMode(args[0]))
        {
            return BrokerModes.Run(args);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return AllocationBudgets.Check(summaries, Console.Out) ? 0 : 1;
    }
}

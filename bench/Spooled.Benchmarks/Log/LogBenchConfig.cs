using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// A short job for the log's benchmarks: 2 warmups and 5 measured iterations of at least the default
/// 500 ms, without unrolling. An invocation already does <see cref="AppendBenchmarks.AppendsPerInvoke"/>
/// appends, from a few milliseconds without fsync to seconds for one durable appender, so the pilot
/// picks one invocation per iteration for the slow cases and many for the fast ones.
/// In-process, so BenchmarkDotNet does not rebuild the solution's projects into their default output
/// folders (the repository is shared with concurrent builds); the host process already runs with
/// workstation, non-concurrent GC (see the csproj). The in-process limit per benchmark case is raised
/// from 5 to 20 minutes: on a loaded disk one durable appender of 16 KiB records can take that long.
/// </summary>
public sealed class LogBenchConfig : ManualConfig
{
    public LogBenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithUnrollFactor(1)
            .WithId("LogShort"));
    }
}

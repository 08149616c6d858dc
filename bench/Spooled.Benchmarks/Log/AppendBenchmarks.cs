using BenchmarkDotNet.Attributes;
using Spooled.Log;
using Spooled.Log.Storage;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// Durable appends: <see cref="Appenders"/> concurrent loops, each awaiting
/// <see cref="SegmentedLog.AppendAsync(ReadOnlyMemory{byte})"/> in turn, share
/// <see cref="AppendsPerInvoke"/> appends per invocation, so the reported time and allocation are per
/// append. The log lives in a fresh directory on the temp disk (which must be a real disk, not tmpfs:
/// see <see cref="BenchDirectory"/>) and keeps the default 64 MiB segments, so it rolls as it would in
/// production. Payloads are random bytes, so LZ4 (tried from 4 KiB) never shrinks them.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LogBenchConfig))]
public class AppendBenchmarks
{
    /// <summary>Appends per invocation, whatever the number of appenders.</summary>
    public const int AppendsPerInvoke = 16_384;

    private static readonly TimeSpan s_invocationLimit = TimeSpan.FromMinutes(5);
    private BenchDirectory? _directory;
    private SegmentedLog? _log;
    private AppenderGroup? _group;

    [Params(128, 1024, 16384)]
    public int RecordSize { get; set; }

    [Params(1, 64, 1024)]
    public int Appenders { get; set; }

    [Params(DurabilityMode.Fsync, DurabilityMode.None)]
    public DurabilityMode Durability { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = BenchDirectory.Create("append");
        var policy = Durability == DurabilityMode.Fsync ? DurabilityPolicy.Fsync : DurabilityPolicy.None;
        _log = SegmentedLog.Open(new LogOptions { Storage = new FileLogStorage(_directory.FullPath), Durability = policy });
        _group = new AppenderGroup(_log, Payload.Random(RecordSize), Appenders);
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public void Append() => _group!.Run(AppendsPerInvoke, s_invocationLimit);

    [GlobalCleanup]
    public void Cleanup()
    {
        _group?.Dispose();
        _log?.Dispose();
        _directory?.Dispose();
    }
}

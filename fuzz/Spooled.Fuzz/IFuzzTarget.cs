namespace Spooled.Fuzz;

/// <summary>
/// One fuzz target: code that takes untrusted bytes, with its oracle. <see cref="Fuzz"/> returns for
/// every allowed outcome and throws for anything else (an unexpected exception, or a
/// <see cref="FuzzOracleException"/> when a property the target checks does not hold), which is what
/// a coverage-guided fuzzer and the unit suite's mutation loop both treat as a finding.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>Short stable name: the folder of the target's corpus under fuzz/corpus/.</summary>
    string Name { get; }

    /// <summary>Runs the code under test on <paramref name="input"/> and checks its oracle.</summary>
    void Fuzz(ReadOnlySpan<byte> input);
}

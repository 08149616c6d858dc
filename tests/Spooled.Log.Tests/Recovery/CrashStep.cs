using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>One operation of a generated crash scenario (see <see cref="CrashScenarioRunner"/> for what each does).</summary>
internal abstract record CrashStep
{
    /// <summary>Append one record and wait for its acknowledgement.</summary>
    public sealed record Append(int Size, bool Compressible) : CrashStep
    {
        public override string ToString() => $"Append({Size}{(Compressible ? ", lz4" : "")})";
    }

    /// <summary>Start an append and do not wait: it may or may not become durable before the next crash.</summary>
    public sealed record AppendUnawaited(int Size, bool Compressible) : CrashStep
    {
        public override string ToString() => $"AppendUnawaited({Size}{(Compressible ? ", lz4" : "")})";
    }

    /// <summary>Append several records with the batch overload, awaited or not.</summary>
    public sealed record AppendGroup(IReadOnlyList<int> Sizes, bool Await) : CrashStep
    {
        public override string ToString() => $"AppendGroup([{string.Join(", ", Sizes)}]{(Await ? "" : ", unawaited")})";
    }

    /// <summary>
    /// Power loss. The process dies now (<paramref name="KillAfterOps"/> = 0) or when it attempts its
    /// <paramref name="KillAfterOps"/>+1-th next mutating disk operation (or once every started append settled),
    /// then the disk crashes with <paramref name="Mode"/> and <paramref name="Seed"/>. When
    /// <paramref name="RecoveryKillAfterOps"/> is not negative, the first recovery dies after that many mutating
    /// operations and the disk crashes again before a second recovery. When <paramref name="DamageProbe"/> is not
    /// negative, a copy of the recovered disk gets one flipped bit chosen by it and must be refused, cut or have a
    /// segment removed exactly as the recovery policy says.
    /// </summary>
    public sealed record Crash(CrashMode Mode, int Seed, int KillAfterOps, int RecoveryKillAfterOps, int DamageProbe) : CrashStep
    {
        public override string ToString() =>
            $"Crash({Mode}, seed {Seed}, kill after {KillAfterOps} op(s){(RecoveryKillAfterOps >= 0 ? $", recovery killed after {RecoveryKillAfterOps} op(s)" : "")}{(DamageProbe >= 0 ? $", damage probe {DamageProbe}" : "")})";
    }

    /// <summary>Close the log cleanly (every started append completes) and reopen it.</summary>
    public sealed record Restart : CrashStep
    {
        public override string ToString() => "Restart";
    }
}

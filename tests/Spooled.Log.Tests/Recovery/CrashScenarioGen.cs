using FsCheck;
using FsCheck.Fluent;
using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>Generators (and a shrinker) for <see cref="CrashScenario"/>.</summary>
internal static class CrashScenarioGen
{
    /// <summary>The longest scenario generated.</summary>
    public const int MaxSteps = 16;

    private static readonly CrashMode[] s_modes = Enum.GetValues<CrashMode>();

    /// <summary>Scenarios run side by side in one property case.</summary>
    public const int BatchSize = 4;

    public static Arbitrary<CrashScenario> Scenarios() => Arb.From(Scenario(), Shrink);

    /// <summary>
    /// <see cref="BatchSize"/> scenarios per case; shrinking first tries each scenario alone, then shrinks
    /// within the batch, so a counterexample ends as one short scenario.
    /// </summary>
    public static Arbitrary<CrashScenarioBatch> Batches() => Arb.From(
        Gen.ListOf(Scenario(), BatchSize).Select(list => new CrashScenarioBatch([.. list])),
        ShrinkBatch);

    private static Gen<CrashScenario> Scenario() =>
        from count in Gen.Choose(1, MaxSteps)
        from steps in Gen.ListOf(Step(), count)
        from seed in Seed()
        select new CrashScenario([.. steps], seed);

    private static Gen<int> Seed() => Gen.Choose(0, 1_000_000_000);

    /// <summary>Record sizes: mostly small, some up to the 600-byte limit, so 2 KiB segments roll every few records.</summary>
    private static Gen<int> Size() => Gen.Frequency(
        (4, Gen.Choose(Payload.MinSize, 40)),
        (3, Gen.Choose(41, 200)),
        (2, Gen.Choose(201, 599)),
        (1, Gen.Constant(CrashScenarioRunner.MaxRecordSize)));

    private static Gen<bool> Compressible() => Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)));

    private static Gen<CrashStep> Step() => Gen.Frequency(
        (8, from size in Size() from lz4 in Compressible() select (CrashStep)new CrashStep.Append(size, lz4)),
        (5, from size in Size() from lz4 in Compressible() select (CrashStep)new CrashStep.AppendUnawaited(size, lz4)),
        (2, from n in Gen.Choose(2, 5) from sizes in Gen.ListOf(Gen.Choose(Payload.MinSize, 300), n) from wait in Gen.Elements(true, false) select (CrashStep)new CrashStep.AppendGroup([.. sizes], wait)),
        (3, Crash()),
        (1, Gen.Constant<CrashStep>(new CrashStep.Restart())));

    private static Gen<CrashStep> Crash() =>
        from mode in Gen.Elements(s_modes)
        from seed in Seed()
        from killAfter in Gen.Frequency((4, Gen.Constant(0)), (3, Gen.Choose(1, 10)), (1, Gen.Constant(1000)))
        from recoveryKill in Gen.Frequency((6, Gen.Constant(-1)), (1, Gen.Choose(0, 4)))
        from probe in Gen.Frequency((2, Gen.Constant(-1)), (1, Gen.Choose(0, 1_000_000_000)))
        select (CrashStep)new CrashStep.Crash(mode, seed, killAfter, recoveryKill, probe);

    private static IEnumerable<CrashScenarioBatch> ShrinkBatch(CrashScenarioBatch batch)
    {
        var scenarios = batch.Scenarios;
        if (scenarios.Count > 1)
        {
            foreach (var scenario in scenarios)
            {
                yield return new CrashScenarioBatch([scenario]);
            }

            yield break;
        }

        foreach (var smaller in Shrink(scenarios[0]))
        {
            yield return new CrashScenarioBatch([smaller]);
        }
    }

    /// <summary>Shorter scenarios first: drop one step, or simplify a crash.</summary>
    private static IEnumerable<CrashScenario> Shrink(CrashScenario scenario)
    {
        var steps = scenario.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            yield return scenario with { Steps = [.. steps.Take(i), .. steps.Skip(i + 1)] };
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is CrashStep.Crash crash && (crash.DamageProbe >= 0 || crash.RecoveryKillAfterOps >= 0))
            {
                var simpler = crash with { DamageProbe = -1, RecoveryKillAfterOps = -1 };
                yield return scenario with { Steps = [.. steps.Take(i), simpler, .. steps.Skip(i + 1)] };
            }
        }
    }
}

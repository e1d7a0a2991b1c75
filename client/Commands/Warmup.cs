using SmmuActors.Grains.Hosting;
using System.CommandLine;
using System.Diagnostics;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client.Commands;

/// <summary>
/// The warm-up before a throughput figure: the same piece of work again and again, for a while and then until its rate
/// stops climbing. Three seconds were not enough for the grain engine: in a process that hosts a silo the JIT keeps
/// compiling Orleans' paths for the first few campaigns (some 5,000 methods, 0.2 to 0.4 s of JIT per campaign of
/// 20,000 runs here), and each first-tier compile puts off promoting the hot methods to optimized code by the runtime's
/// call-counting delay, so reviewer-race's grain campaigns went from 12,000 to 50,000 runs/s over about eight campaigns
/// (140,000 runs) and a figure taken sooner measured the warm-up.
/// </summary>
static class Warmup
{
    /// <summary>Rounds in a row no faster than the best before them by more than <see cref="Climb"/>: the rate has settled.</summary>
    const int FlatRounds = 3;
    const double Climb = 1.1;

    /// <summary>How long a throughput warm-up lasts at least, and at most.</summary>
    public static readonly TimeSpan Min = TimeSpan.FromSeconds(10), Max = TimeSpan.FromSeconds(40);

    /// <summary>The bench commands' `--warmup SECONDS`: how long each engine is warmed up at least.</summary>
    public static Option<double> Option() => new("--warmup")
    {
        CustomParser = InvariantNumbers.Decimal,
        Description = "seconds each engine is warmed up at least before its figures (then until its rate stops climbing)",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => Min.TotalSeconds,
    };

    /// <summary>The `--warmup` given, checked before any work: 0 to <see cref="Max"/> seconds.</summary>
    public static TimeSpan From(ParseResult pr, Option<double> option)
    {
        double seconds = pr.GetValue(option);
        if (!(seconds >= 0 && seconds <= Max.TotalSeconds))
            throw new InputException($"--warmup: {seconds} is not a number of seconds from 0 to {Max.TotalSeconds}");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Runs <paramref name="work"/> at least for <paramref name="min"/>, until settled, at most for <paramref name="max"/>; returns the rounds run.</summary>
    public static async Task<int> UntilSettledAsync(Func<Task> work, TimeSpan min, TimeSpan max, CancellationToken cancel)
    {
        var total = Stopwatch.StartNew();
        double best = 0;
        int rounds = 0, flat = 0;
        while (total.Elapsed < max)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            await work();
            double rate = 1 / clock.Elapsed.TotalSeconds;
            rounds++;
            flat = rate > best * Climb ? 0 : flat + 1;
            best = Math.Max(best, rate);
            if (flat >= FlatRounds && total.Elapsed >= min) break;
        }
        return rounds;
    }

    /// <summary>The local engine's warm-up: random campaigns of <paramref name="runs"/> on every core, until settled.</summary>
    public static Task<int> LocalRandomAsync(ScenarioModel model, long runs, TimeSpan min, CancellationToken cancel) =>
        UntilSettledAsync(() => Task.Run(() => Explorer.Random(model, 99, runs, Environment.ProcessorCount, null, cancel)), min, Max, cancel);
}

using System.CommandLine;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client;

/// <summary>The options every scenario command shares, and turning them into a model or a clear error.</summary>
public static class ScenarioInput
{
    public static Option<string> Variant()
    {
        var o = new Option<string>("--variant", "-v")
        {
            Description = "variant preset (see 'variants')",
            DefaultValueFactory = _ => "as-posted",
            // Named, not listed: the presets are many, and help would list them all in the option's column.
            HelpName = "PRESET",
        };
        o.CompletionSources.Add(Variants.Presets.Select(p => p.Name).ToArray());
        return o;
    }

    public static Option<string[]> Set()
    {
        var o = new Option<string[]>("--set")
        {
            Description = "override one switch of the preset: NAME=VALUE (repeatable; see 'variants')",
            DefaultValueFactory = _ => [],
            HelpName = "NAME=VALUE",
        };
        // Every NAME=VALUE pair, so completing "stop-gate=" offers that switch's values.
        o.CompletionSources.Add(Variants.Switches.SelectMany(s => s.Values.Select(v => $"{s.Name}={v}")).ToArray());
        return o;
    }

    /// <summary>The workload when none is given: a path from the repository's root.</summary>
    public const string DefaultWorkload = "scenarios/reviewer-race.json";

    public static Option<string> Workload() => new("--workload", "-w")
    {
        Description = "workload JSON file (see scenarios/)",
        DefaultValueFactory = _ => DefaultWorkload,
    };

    public static Option<string?> Json() => new("--json") { Description = "also write the result as JSON to this file" };

    public static Option<ulong> Seed() => new("--seed", "-s") { Description = "seed of the random strategy", DefaultValueFactory = _ => 1 };

    /// <summary>
    /// --set can take back what a preset is named for (gate-outside-cas with stop-gate=none early-elide=off is no-gate), or
    /// give one preset what another is named for (as-posted with stop-gate=none early-elide=off is no-gate too): the variant goes by the name of what it is
    /// (Variants.Build, then <see cref="ExploredAs"/>), and every command that builds one says so, on stderr beside its progress.
    /// </summary>
    public static void SayRenamed(IReadOnlyList<string> presets, string[] set, IReadOnlyList<ScenarioModel> models)
    {
        foreach (var (p, m) in presets.Zip(models))
        {
            string named = ExploredAs(models, m).Variant.Preset;
            if (named != p)
                Console.Error.WriteLine($"{p} with {string.Join(" ", set)} is {named}" + (models.Count(x => SameSwitches(x, m)) > 1 ? ", explored once" : ""));
        }
    }

    /// <summary>
    /// A --set that changes nothing in any variant explored, because it acts only under another switch's value, is said on
    /// standard error: the variant's label and its counterexamples' names still carry it, as if it had.
    /// </summary>
    public static void SayIdle(string[] set, IReadOnlyList<ScenarioModel> models)
    {
        foreach (var a in set)
            if (models.Select(m => Variants.Idle(m.Variant, a)).Distinct().ToList() is [{ } needs])
                Console.Error.WriteLine($"warning: --set {a.Trim()} changes nothing here: it acts only under {needs} (--set {needs})");
    }

    /// <summary>Each variant once, in preset order, under the name <see cref="ExploredAs"/> gives it.</summary>
    public static List<ScenarioModel> ExploredOnce(IReadOnlyList<ScenarioModel> models) =>
        models.Where(m => ReferenceEquals(ExploredAs(models, m), m)).ToList();

    /// <summary>
    /// Of the presets that became the same variant, the one named for most of it: a preset with more overrides names more
    /// of its switches (no-gate, not as-posted, for stop-gate=none early-elide=off); on a tie, the first.
    /// </summary>
    static ScenarioModel ExploredAs(IReadOnlyList<ScenarioModel> models, ScenarioModel m) =>
        models.Where(x => SameSwitches(x, m)).MaxBy(x => Variants.Presets.First(p => p.Name == x.Variant.Preset).Overrides.Length)!;

    static bool SameSwitches(ScenarioModel a, ScenarioModel b) => Variants.AllSettings(a.Variant).SequenceEqual(Variants.AllSettings(b.Variant));

    /// <summary>
    /// Builds the scenario, or throws <see cref="InputException"/> naming the file, field and reason (<paramref name="option"/>
    /// names the workload's option when there is no file to name).
    /// </summary>
    public static ScenarioModel Build(string preset, string[] set, string workloadPath, string option = "--workload")
    {
        InputException.ThrowIfEmpty(workloadPath, option);
        var variant = BuildVariant(preset, set);
        try { return new ScenarioModel(WorkloadLoader.LoadFile(workloadPath), variant); }
        catch (WorkloadException e) when (workloadPath == DefaultWorkload && !File.Exists(workloadPath))
        {
            throw new InputException($"{e.Message} (the default --workload, a path from the repository's root: run there, or give --workload FILE)");
        }
        catch (WorkloadException e) { throw new InputException(e.Message); }
    }

    /// <summary>The variant <paramref name="preset"/> with <paramref name="set"/> builds, or <see cref="InputException"/> naming the option and reason.</summary>
    public static Variant BuildVariant(string preset, string[] set)
    {
        Variant variant;
        try { variant = Variants.Build(preset, []); }
        catch (ArgumentException e) { throw new InputException($"--variant: {e.Message}"); }
        foreach (var assignment in set)
        {
            try { variant = Variants.Apply(variant, assignment); }
            catch (ArgumentException e) { throw new InputException($"--set {e.Message}"); }
        }
        // Which of two values the user meant is not ours to guess (the last one won).
        foreach (var twice in set.GroupBy(a => a[..a.IndexOf('=')].Trim()).Where(g => g.Count() > 1))
            throw new InputException($"--set: '{twice.Key}' is set twice ({string.Join(", ", twice)}); give it once");
        // Each part checked on its own above, for the error to name it; built whole for the name the variant goes by. A
        // combination no driver makes is refused naming the preset, since --variant all and bench give every preset the same --set.
        try { return Variants.Build(preset, set); }
        catch (ArgumentException e) { throw new InputException($"--set: {preset} with {string.Join(" ", set)}: {e.Message}"); }
    }
}

/// <summary>Bad input from the user: printed as is, exit code 2.</summary>
public sealed class InputException(string message) : Exception(message)
{
    /// <summary>An empty path names no file, so the error names the option instead (the loaders would say ": no such file").</summary>
    public static void ThrowIfEmpty(string path, string option)
    {
        if (path.Length == 0) throw new InputException($"{option}: the path is empty");
    }
}

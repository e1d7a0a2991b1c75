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

    public static Option<string> Workload() => new("--workload", "-w")
    {
        Description = "workload JSON file (see scenarios/)",
        DefaultValueFactory = _ => "scenarios/reviewer-race.json",
    };

    public static Option<string?> Json() => new("--json") { Description = "also write the result as JSON to this file" };

    public static Option<ulong> Seed() => new("--seed", "-s") { Description = "seed of the random strategy", DefaultValueFactory = _ => 1 };

    /// <summary>
    /// --set can take back what a preset is named for (gate-outside-cas with stop-gate=none is no-gate): the variant goes by
    /// the name of what it is (Variants.Build), and every command that builds one says so, on stderr beside its progress.
    /// </summary>
    public static void SayRenamed(IReadOnlyList<string> presets, string[] set, IReadOnlyList<ScenarioModel> models)
    {
        foreach (var (p, m) in presets.Zip(models).Where(x => x.First != x.Second.Variant.Preset))
            Console.Error.WriteLine($"{p} with {string.Join(" ", set)} is {m.Variant.Preset}" +
                (models.Count(x => x.Variant.Preset == m.Variant.Preset) > 1 ? ", explored once" : ""));
    }

    /// <summary>
    /// Builds the scenario, or throws <see cref="InputException"/> naming the file, field and reason (<paramref name="option"/>
    /// names the workload's option when there is no file to name).
    /// </summary>
    public static ScenarioModel Build(string preset, string[] set, string workloadPath, string option = "--workload")
    {
        InputException.ThrowIfEmpty(workloadPath, option);
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
        // Each part checked on its own above, for the error to name it; built whole for the name the variant goes by.
        variant = Variants.Build(preset, set);
        try { return new ScenarioModel(WorkloadLoader.LoadFile(workloadPath), variant); }
        catch (WorkloadException e) { throw new InputException(e.Message); }
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

using System.Text.Json;
using System.Text.Json.Serialization;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// A replayable witness of one violation: the variant's every switch, the workload's full text,
/// and the choice list that drives the run. Replaying it needs nothing else. The *BeforeShrink
/// fields say how large the run was before <see cref="Shrinker"/> made it minimal (absent when
/// it was not shrunk); <see cref="ShrinkCutShort"/>, that shrinking was stopped first, so a smaller run may exist.
/// </summary>
public sealed record Counterexample(
    string Kind,
    string Detail,
    string Variant,
    IReadOnlyList<string> Settings,
    string Workload,
    string WorkloadPath,
    string WorkloadText,
    string Strategy,
    ulong Seed,
    long RunIndex,
    IReadOnlyList<long> Choices,
    string TraceHash,
    long Steps,
    long? StepsBeforeShrink = null,
    int? DelaysBeforeShrink = null,
    int? Delays = null,
    int? OpsBeforeShrink = null,
    int? Ops = null,
    bool? ShrinkCutShort = null)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Files for people and tools, never embedded in a page: '+', quotes and apostrophes as written, so
        // grep '"2+2W"' finds a test's record (the default encoder wrote \u002B, \u0022, \u0027).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The variant exactly as recorded: the preset's name, every switch set explicitly. A bad entry
    /// is blamed on the field of <paramref name="file"/> that holds it.
    /// </summary>
    public Variant BuildVariant(string file)
    {
        Variant v;
        try { v = Variants.Build(Variant, []); }
        catch (ArgumentException e) { throw new WorkloadException(file, "variant", e.Message); }
        var first = new Dictionary<string, int>();
        for (int i = 0; i < Settings.Count; i++)
        {
            try { v = Variants.Apply(v, Settings[i]); }
            catch (ArgumentException e) { throw new WorkloadException(file, $"settings[{i}]", e.Message); }
            // Which of two values was meant is not ours to guess (the last one won, and the choices were blamed), as with --set.
            string name = Settings[i][..Settings[i].IndexOf('=')].Trim();
            if (!first.TryAdd(name, i))
                throw new WorkloadException(file, $"settings[{i}]", $"'{name}' is set twice (settings[{first[name]}] {Settings[first[name]]}, settings[{i}] {Settings[i]}); give it once");
        }
        // The settings are what runs; the label must be what they are (Variants.Build names them so when saved).
        string named;
        try { named = Variants.Build(Variant, Settings).Preset; }
        catch (ArgumentException e) { throw new WorkloadException(file, "settings", e.Message); }
        if (named != Variant) throw new WorkloadException(file, "variant", $"'{Variant}', but its settings take back what it is named for: they are {named}");
        return v;
    }

    /// <summary>A witness of the exhaustive search: replayed untimed, as picks among the enabled messages.</summary>
    [JsonIgnore]
    public bool Untimed => Strategy == Naming.Kebab(StrategyKind.Exhaustive);

    /// <summary>How this counterexample's run is chosen, for an engine.</summary>
    [JsonIgnore]
    public StrategySpec Replaying => StrategySpec.FromChoices(Choices, Untimed, probe: Untimed && Liveness.Decides(Kind));

    /// <summary>Replays recorded choices: timed (random witnesses) or untimed (search witnesses, checked afresh at their end).</summary>
    /// <remarks><paramref name="pruner"/> may end a timed replay early (a stop), which comes back pruned; an untimed one is a search's path, short.</remarks>
    public static RunResult Replay(ScenarioModel model, IReadOnlyList<long> choices, bool untimed, string kind, bool recordTrace, IRunObserver? observer = null,
        IPruner? pruner = null) =>
        untimed
            ? UntimedReplay.Run(model, choices, probe: Liveness.Decides(kind), recordTrace, recordChoices: true, observer)
            : LocalEngine.Run(model, new ReplayStrategy(choices, model.Workload.Delays), recordTrace, recordChoices: true, pruner, observer);

    /// <summary>The scenario this counterexample replays, as it travels to an engine.</summary>
    [JsonIgnore]
    public ScenarioSpec Spec => new(WorkloadPath, WorkloadText, Variant, Settings.ToArray());

    public Workload BuildWorkload(string file)
    {
        var w = WorkloadLoader.Parse(WorkloadText, $"{file} (embedded workload)");
        // The label is what the summary prints; the text is what runs: a hand-edited label would misname the run.
        if (w.Name != Workload) throw new WorkloadException(file, "workload", $"'{Workload}', but workloadText is the workload '{w.Name}'");
        return w;
    }

    /// <summary>
    /// Re-runs a violating execution from its choices (a partial list is completed with base choices),
    /// records the full list and trace hash, and checks that the same kind of violation occurs.
    /// </summary>
    public static Counterexample Capture(ScenarioModel model, string workloadPath, StrategyKind strategy, ulong seed, long runIndex,
        IReadOnlyList<long> choices, ViolationKind kind) =>
        Of(model, workloadPath, strategy, seed, runIndex, Replay(model, choices, strategy == StrategyKind.Exhaustive, Naming.Kebab(kind), recordTrace: false), kind);

    /// <summary>The counterexample of <paramref name="result"/>, a run with its choices recorded that shows <paramref name="kind"/>.</summary>
    static Counterexample Of(ScenarioModel model, string workloadPath, StrategyKind strategy, ulong seed, long runIndex, RunResult result, ViolationKind kind)
    {
        var v = result.Violations.FirstOrDefault(x => x.Kind == kind)
            ?? throw new InvalidOperationException($"replaying the {Naming.Kebab(kind)} run did not reproduce it: the engine is not deterministic");
        return As(model, workloadPath, strategy, seed, runIndex, kind, v.Detail, result.Choices!, result.TraceHash, result.Steps);
    }

    static Counterexample As(ScenarioModel model, string workloadPath, StrategyKind strategy, ulong seed, long runIndex, ViolationKind kind,
        string detail, IReadOnlyList<long> choices, string traceHash, long steps) =>
        new(Naming.Kebab(kind), detail, model.Variant.Preset, Variants.AllSettings(model.Variant).ToList(),
            model.Workload.Name, workloadPath, model.Workload.SourceText, Naming.Kebab(strategy), seed, runIndex, choices, traceHash, steps);

    /// <summary>
    /// A random campaign's witness as its run found it, replaying nothing: what a stop leaves time for. Unshrunk, it is
    /// marked cut short, a smaller run perhaps existing; `replay` checks it as it checks any.
    /// </summary>
    public static Counterexample AsFound(ScenarioModel model, string workloadPath, ulong seed, Witness witness, WitnessRun run) =>
        As(model, workloadPath, StrategyKind.Random, seed, witness.RunIndex, witness.Kind, run.Detail, witness.Choices, run.TraceHash, run.Steps) with { ShrinkCutShort = true };

    /// <summary>Captures a shrunk witness, from the shrink's own run of it, and records how large it was before.</summary>
    public static Counterexample CaptureShrunk(ShrinkResult shrunk, string workloadPath, StrategyKind strategy, ulong seed, long runIndex, ViolationKind kind) =>
        Of(shrunk.Model, workloadPath, strategy, seed, runIndex, shrunk.Run, kind) with
        {
            StepsBeforeShrink = shrunk.StepsBefore,
            DelaysBeforeShrink = shrunk.DelaysBefore,
            Delays = shrunk.Delays,
            OpsBeforeShrink = shrunk.OpsBefore,
            Ops = shrunk.Ops,
            ShrinkCutShort = shrunk.CutShort ? true : null,
        };

    public static Counterexample Load(string path)
    {
        WorkloadLoader.CheckFile(path);
        return FromJson(InputFile.Read(path, reason => new WorkloadException(path, "(file)", reason)), path);
    }

    /// <summary>Parses a counterexample's JSON; <paramref name="source"/> names it in errors.</summary>
    public static Counterexample FromJson(string text, string source)
    {
        try
        {
            var present = CheckFields(text, source);
            var c = JsonSerializer.Deserialize<Counterexample>(text, Json)
                ?? throw new WorkloadException(source, "(json)", "empty document");
            // Named one by one, in the file's own spelling: "kind, variant, ... are required" left the user to find which.
            // steps is a number, 0 when absent, and a missing one was then blamed as "its steps were edited" to 0.
            var missing = new (string Field, object? Value)[]
            {
                ("kind", c.Kind), ("variant", c.Variant), ("settings", c.Settings), ("workloadText", c.WorkloadText), ("choices", c.Choices), ("traceHash", c.TraceHash),
                ("steps", present.Contains("steps") ? c.Steps : null),
            }.Where(f => f.Value is null).Select(f => f.Field).ToList();
            if (missing.Count > 0)
                throw new WorkloadException(source, missing[0], "missing: a counterexample needs it" + (missing.Count > 1 ? $" (and {string.Join(", ", missing.Skip(1))}, also missing)" : ""));
            // Checked here so a hand-edited file fails on the field, not later as a choice that does not fit.
            if (c.Strategy != Naming.Kebab(StrategyKind.Random) && c.Strategy != Naming.Kebab(StrategyKind.Exhaustive))
                throw new WorkloadException(source, "strategy", $"'{c.Strategy}': a counterexample comes from random or exhaustive");
            if (!Naming.TryParse<ViolationKind>(c.Kind, out _))
                throw new WorkloadException(source, "kind", $"unknown violation kind '{c.Kind}'; expected one of {string.Join(", ", Naming.All<ViolationKind>())}");
            if (c.TraceHash.Length != 32 || !c.TraceHash.All(char.IsAsciiHexDigitLower))
                throw new WorkloadException(source, "traceHash", $"'{c.TraceHash}' is not 32 lower-case hex digits");
            return c;
        }
        catch (JsonException e)
        {
            throw JsonSyntax.Error(source, e);
        }
    }

    /// <summary>
    /// The type each field of the file holds, read off the record's own parameters (so a field added to it is checked
    /// too): what a hand-edited or wrong file is checked against.
    /// </summary>
    static readonly Dictionary<string, Type> Fields = typeof(Counterexample).GetConstructors()
        .Single(c => c.GetParameters().Length > 1).GetParameters()
        .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!), p => p.ParameterType);

    /// <summary>
    /// What shrinking did to the step count, to follow "N steps": nothing where it kept it. Fewer operations and fewer
    /// delays come first (<see cref="Shrinker"/>), and a run with fewer of them may take more steps, which is then said so
    /// rather than read as a shrink that grew the run.
    /// </summary>
    public static string StepsNote(long steps, long? before) => before switch
    {
        { } b when b > steps => $" ({b} before shrinking)",
        { } b when b < steps => $" ({b} before shrinking, which took fewer operations or delays for more steps)",
        _ => "",
    };

    /// <summary>
    /// The file a counterexample of <paramref name="kind"/> is saved in, within its directory: PRESET-WORKLOAD-KIND.json,
    /// with each switch --set moved off the preset after the preset's name (as-posted+loads=armv8-...), so that a search
    /// under other settings does not write over the first one's counterexample. Past <see cref="SwitchesMax"/> characters
    /// the switches are named by a hash of them instead, which keeps the name within a file name's 255 bytes.
    /// </summary>
    public static string FileName(Variant variant, string workload, string kind) =>
        FileName(variant.Preset + SwitchesPart(Variants.BeyondPreset(variant)), workload, kind);

    static string FileName(string variant, string workload, string kind) => $"{variant}-{workload}-{kind}.json";

    /// <summary>The most characters the switches take in a file name as written out; longer, they are hashed.</summary>
    public const int SwitchesMax = 64;

    static string SwitchesPart(IEnumerable<string> switches)
    {
        string written = string.Concat(switches.Select(s => "+" + s));
        if (written.Length <= SwitchesMax) return written;
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(written));
        return "+set-" + Convert.ToHexStringLower(hash, 0, 6);
    }

    /// <summary>The longest <see cref="FileName"/> any preset, switches, workload name and kind make, in bytes (its chart's, ".svg", is shorter).</summary>
    public static int LongestFileName { get; } = FileName(Variants.Presets.MaxBy(p => p.Name.Length).Name + new string('s', SwitchesMax),
        new string('w', WorkloadLoader.NameMax), Enum.GetValues<ViolationKind>().Select(k => Naming.Kebab(k)).MaxBy(k => k.Length)!).Length;

    /// <summary>Whether <paramref name="name"/> has the shape of <see cref="FileName"/>: a file some counterexample may be saved in.</summary>
    public static bool IsFileName(string name) =>
        Enum.GetValues<ViolationKind>().Any(k => name.EndsWith(FileName("", "", Naming.Kebab(k))[1..], StringComparison.Ordinal));

    /// <summary>
    /// Every field known and of its kind, before the reader's own errors, which name a .NET type rather than the field;
    /// a workload given in a counterexample's place is said to be one. Returns the names given.
    /// </summary>
    static HashSet<string> CheckFields(string text, string source)
    {
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new WorkloadException(source, "(json)", "not a counterexample: expected an object");
        if (root.TryGetProperty("queueShift", out _) && root.TryGetProperty("threads", out _))
            throw new WorkloadException(source, "(json)", "a workload, not a counterexample: replay takes a file explore saved in --out");
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            given.Add(p.Name);
            if (!Fields.TryGetValue(p.Name, out var type))
                throw new WorkloadException(source, p.Name, $"unknown field; a counterexample has {string.Join(", ", Fields.Keys)}");
            CheckValue(p.Value, type, source, p.Name);
            if (Counts.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.Number && p.Value.GetInt64() < 0)
                throw new WorkloadException(source, p.Name, $"expected a count, 0 or more, found {p.Value.GetRawText()}");
        }
        return given;
    }

    /// <summary>The fields that count something (a run's number, steps, delays, operations): a negative one was accepted.</summary>
    static readonly HashSet<string> Counts = ["runIndex", "steps", "stepsBeforeShrink", "delays", "delaysBeforeShrink", "ops", "opsBeforeShrink"];

    /// <summary>
    /// Throws, naming the value's path, unless <paramref name="v"/> fits <paramref name="type"/>: in range, and each
    /// element of a list too (the reader would say only "the wrong type", at a column).
    /// </summary>
    static void CheckValue(JsonElement v, Type type, string source, string path)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            if (v.ValueKind == JsonValueKind.Null) return;
            type = inner;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            if (v.ValueKind != JsonValueKind.Array) throw new WorkloadException(source, path, $"expected a list, found {Found(v)}");
            int i = 0;
            foreach (var x in v.EnumerateArray()) CheckValue(x, type.GetGenericArguments()[0], source, $"{path}[{i++}]");
            return;
        }
        var (fits, expected) = type switch
        {
            _ when type == typeof(string) => (v.ValueKind == JsonValueKind.String, "a string"),
            _ when type == typeof(bool) => (v.ValueKind is JsonValueKind.True or JsonValueKind.False, "true or false"),
            _ when type == typeof(ulong) => (v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out _), $"a whole number from 0 to {ulong.MaxValue}"),
            _ when type == typeof(long) => (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _), $"a whole number from {long.MinValue} to {long.MaxValue}"),
            _ when type == typeof(int) => (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out _), $"a whole number from {int.MinValue} to {int.MaxValue}"),
            _ => throw new InvalidOperationException($"a counterexample field of type {type.Name} has no check: add one"),
        };
        // A number that does not fit is shown as written: its kind is not what is wrong with it.
        string found = v.ValueKind == JsonValueKind.Number && type != typeof(string) && type != typeof(bool) ? v.GetRawText() : Found(v);
        if (!fits) throw new WorkloadException(source, path, $"expected {expected}, found {found}");
    }

    /// <summary>What kind of value <paramref name="v"/> is, in a user's words.</summary>
    static string Found(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes the file whole or not at all.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());
}

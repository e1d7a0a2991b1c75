using System.Text.Json;
using System.Text.RegularExpressions;
using SmmuActors.Model.Smmu;

using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Workloads;

/// <summary>A workload file that cannot be used: which file, which field, and why.</summary>
public sealed class WorkloadException(string file, string field, string reason)
    : Exception($"{file}: {field}: {reason}")
{
    public string File { get; } = file;
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}

/// <summary>Reads workload JSON strictly: unknown fields, wrong types and bad references are errors.</summary>
public static partial class WorkloadLoader
{
    [GeneratedRegex(@"^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$")]
    private static partial Regex SafeName();

    /// <summary>The longest workload name, in characters (its ASCII, one byte each): with a preset and a kind it names counterexample files, within Linux's 255 bytes.</summary>
    public const int NameMax = 128;

    /// <summary>The largest bounds.maxStates a workload (or explore's --max-states) may ask for.</summary>
    public const long MaxStatesLimit = 1_000_000_000;

    /// <summary>The most commands a tlbi op may batch: the driver's CMDQ_BATCH_ENTRIES (docs/protocol.md §2.1).</summary>
    public const int CmdqBatchEntries = 64;

    /// <summary>The range of <c>bounds.maxSteps</c>: fewer than ten deliveries do not get a thread past its first request.</summary>
    public const long MinSteps = 10, MaxStepsLimit = 100_000_000;

    public static Workload LoadFile(string path)
    {
        CheckFile(path);
        return Parse(InputFile.Read(path, reason => new WorkloadException(path, "(file)", reason)), path);
    }

    /// <summary>Throws <see cref="WorkloadException"/> unless <paramref name="path"/> is a file this process can read.</summary>
    public static void CheckFile(string path)
    {
        if (Directory.Exists(path)) throw new WorkloadException(path, "(file)", "is a directory; give a JSON file in it");
        InputFile.Check(path, reason => new WorkloadException(path, "(file)", reason));
    }

    public static Workload Parse(string text, string file)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw JsonSyntax.Error(file, e);
        }
        using (doc) return new Reader(file).Workload(doc.RootElement, text);
    }

    sealed class Reader(string file)
    {
        WorkloadException Error(string field, string reason) => new(file, field, reason);

        void OnlyKnown(JsonElement e, string path, params string[] known)
        {
            if (e.ValueKind != JsonValueKind.Object) throw Error(path.Length == 0 ? "(the whole file)" : path, "expected an object");
            var seen = new HashSet<string>();
            foreach (var p in e.EnumerateObject())
            {
                if (!known.Contains(p.Name))
                    throw Error(Join(path, p.Name), $"unknown field; expected one of {string.Join(", ", known)}");
                // System.Text.Json keeps the last of two equal names; which one was meant is not ours to guess.
                if (!seen.Add(p.Name)) throw Error(Join(path, p.Name), "declared twice");
            }
        }

        static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

        JsonElement? Opt(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v : null;

        JsonElement Req(JsonElement e, string path, string name) =>
            e.ValueKind != JsonValueKind.Object ? throw Error(path, "expected an object")
            : e.TryGetProperty(name, out var v) ? v : throw Error(Join(path, name), "required field is missing");

        string Str(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? s : throw Error(path, "expected a non-empty string");

        /// <param name="why">Said after the range when a value is out of it, for a bound that is the driver's.</param>
        long Long(JsonElement e, string path, long min, long max, string why = "")
        {
            if (e.ValueKind != JsonValueKind.Number) throw Error(path, "expected an integer");
            if (!e.TryGetInt64(out var v))
                throw Error(path, e.GetRawText() is var raw && raw.All(char.IsAsciiDigit) || raw.StartsWith('-') && raw[1..].All(char.IsAsciiDigit)
                    ? $"{raw} is out of range [{min}, {max}]{why}"
                    : $"expected an integer, not {raw}");
            if (v < min || v > max) throw Error(path, $"{v} is out of range [{min}, {max}]{why}");
            return v;
        }

        bool Bool(JsonElement e, string path) =>
            e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : throw Error(path, "expected true or false");

        IEnumerable<(JsonElement, string)> Array(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Array) throw Error(path, "expected an array");
            int i = 0;
            foreach (var x in e.EnumerateArray()) yield return (x, $"{path}[{i++}]");
        }

        public Workload Workload(JsonElement root, string text)
        {
            // A counterexample in a workload's place was refused as "kind: unknown field", which names neither what it is nor what runs it.
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("choices", out _) && root.TryGetProperty("workloadText", out _))
                throw Error("(the whole file)", "a counterexample, not a workload: `replay FILE` runs it, and its workload is in its workloadText");
            // "$schema" points editors at scenarios/workload.schema.json; it means nothing to the model.
            OnlyKnown(root, "", "$schema", "name", "description", "queueShift", "iovas", "vars", "threads", "delays", "pins", "bounds", "drainTimeout");
            if (Opt(root, "$schema") is { } schema) Str(schema, "$schema");
            string name = Str(Req(root, "", "name"), "name");
            // The name is part of every counterexample's file name: nothing that leaves --out or makes a directory.
            if (!SafeName().IsMatch(name))
                throw Error("name", $"'{name}' must be letters, digits, '.', '_', '+' or '-', not starting with '.' (it names counterexample files)");
            if (name.Length > NameMax)
                throw Error("name", $"'{name[..24]}...' is {name.Length} characters; at most {NameMax} (it names counterexample files)");
            string description = Opt(root, "description") is { } d ? Str(d, "description") : "";
            int shift = (int)Long(Req(root, "", "queueShift"), "queueShift", 1, 16);

            var iovas = new List<IovaSpec>();
            // A set, not a scan of the list: 65,535 IOVAs took 20 s to check by scanning.
            var iovaNames = new HashSet<string>();
            if (Opt(root, "iovas") is { } iv)
                foreach (var (x, p) in Array(iv, "iovas"))
                {
                    OnlyKnown(x, p, "name", "mapped", "inTlb");
                    var n = Str(Req(x, p, "name"), Join(p, "name"));
                    if (!iovaNames.Add(n)) throw Error(Join(p, "name"), $"IOVA '{n}' is declared twice");
                    bool mapped = Opt(x, "mapped") is { } m ? Bool(m, Join(p, "mapped")) : true;
                    bool inTlb = Opt(x, "inTlb") is { } t ? Bool(t, Join(p, "inTlb")) : false;
                    if (inTlb && !mapped) throw Error(Join(p, "inTlb"), "an unmapped IOVA cannot start in the TLB");
                    iovas.Add(new IovaSpec(n, mapped, inTlb));
                }
            if (iovas.Count > 0xFFFF) throw Error("iovas", "at most 65535 IOVAs");

            var vars = new List<string>();
            if (Opt(root, "vars") is { } vv)
                foreach (var (x, p) in Array(vv, "vars"))
                {
                    var n = Str(x, p);
                    if (vars.Contains(n)) throw Error(p, $"variable '{n}' is declared twice");
                    vars.Add(n);
                }

            var threads = new List<ThreadSpec>();
            var iovaOwner = new Dictionary<string, string>();
            foreach (var (x, p) in Array(Req(root, "", "threads"), "threads"))
            {
                OnlyKnown(x, p, "name", "start", "program");
                var n = Str(Req(x, p, "name"), Join(p, "name"));
                if (n is "memory" or "smmu") throw Error(Join(p, "name"), $"'{n}' names a component, not a thread");
                if (threads.Any(t => t.Name == n)) throw Error(Join(p, "name"), $"thread '{n}' is declared twice");
                var start = new List<long>();
                if (Opt(x, "start") is { } s)
                    foreach (var (y, q) in Array(s, Join(p, "start"))) start.Add(Long(y, q, 0, 1_000_000_000));
                if (start.Count == 0) start.Add(0);
                var program = new List<Op>();
                foreach (var (y, q) in Array(Req(x, p, "program"), Join(p, "program")))
                    program.Add(Op(y, q, shift, iovas, vars, n, iovaOwner));
                threads.Add(new ThreadSpec(n, start, program.ToArray()));
            }
            if (threads.Count == 0) throw Error("threads", "at least one thread is needed");
            for (int t = 0; t < threads.Count; t++)
                for (int i = 0; i < threads[t].Program.Length; i++)
                    if (threads[t].Program[i] is { Kind: OpKind.Tlbi } op && op.Count + (op.Sync ? 1 : 0) > (1 << shift))
                        throw Error($"threads[{t}].program[{i}].count", $"{op.Count} commands{(op.Sync ? " + CMD_SYNC" : "")} exceed the queue's {1 << shift} entries");
            if (threads.Count > 60) throw Error("threads", "at most 60 threads");
            // The PM core runs a device's suspend and resume callbacks in turn: a resume follows a suspend, and a suspend
            // follows the resume of the one before (a driver's callbacks are not written for anything else).
            for (int t = 0; t < threads.Count; t++)
            {
                bool suspended = false;
                for (int i = 0; i < threads[t].Program.Length; i++)
                {
                    var kind = threads[t].Program[i].Kind;
                    if (kind == OpKind.Suspend && suspended)
                        throw Error($"threads[{t}].program[{i}]", "a suspend while this thread's last suspend has not been resumed");
                    if (kind == OpKind.Resume && !suspended)
                        throw Error($"threads[{t}].program[{i}]", "a resume with no suspend before it");
                    if (kind is OpKind.Suspend or OpKind.Resume) suspended = kind == OpKind.Suspend;
                }
            }
            if (threads.Count(t => t.Program.Any(op => op.Kind is OpKind.Suspend or OpKind.Resume)) > 1)
                throw Error("threads", "suspend and resume in more than one thread: the PM core runs one device's callbacks one at a time");

            var delays = DelaySpec.Default;
            if (Opt(root, "delays") is { } dl)
            {
                OnlyKnown(dl, "delays", "min", "max", "longProbability", "longMax", "menu", "maxDelayed");
                long min = Opt(dl, "min") is { } a ? Long(a, "delays.min", 1, 1_000_000) : delays.Min;
                long max = Opt(dl, "max") is { } b ? Long(b, "delays.max", 1, 1_000_000) : Math.Max(delays.Max, min);
                if (max < min) throw Error("delays.max", $"{max} is below delays.min {min}");
                double lp = delays.LongProbability;
                if (Opt(dl, "longProbability") is { } c)
                {
                    if (c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out lp) || lp < 0 || lp > 1)
                        throw Error("delays.longProbability", "expected a number in [0, 1]");
                }
                long longMax = Opt(dl, "longMax") is { } e ? Long(e, "delays.longMax", 1, 1_000_000_000) : Math.Max(delays.LongMax, max);
                if (longMax < max) throw Error("delays.longMax", $"{longMax} is below delays.max {max}");
                var menu = new List<long>();
                if (Opt(dl, "menu") is { } m)
                    foreach (var (y, q) in Array(m, "delays.menu")) menu.Add(Long(y, q, 1, 1_000_000_000));
                else menu.AddRange(delays.Menu);
                if (menu.Count == 0) throw Error("delays.menu", "needs at least one delay");
                if (menu.Distinct().Count() != menu.Count) throw Error("delays.menu", "delays must be distinct");
                int maxDelayed = Opt(dl, "maxDelayed") is { } md ? (int)Long(md, "delays.maxDelayed", 0, 16) : delays.MaxDelayed;
                delays = new DelaySpec(min, max, lp, longMax, menu, maxDelayed);
            }

            var pins = new List<PinSpec>();
            if (Opt(root, "pins") is { } pn)
                foreach (var (x, p) in Array(pn, "pins"))
                {
                    OnlyKnown(x, p, "from", "message", "nth", "delay");
                    var from = Str(Req(x, p, "from"), Join(p, "from"));
                    if (from is not ("memory" or "smmu") && threads.All(t => t.Name != from))
                        throw Error(Join(p, "from"), $"no thread or component named '{from}'");
                    var msg = Str(Req(x, p, "message"), Join(p, "message"));
                    if (!MessageNames.IsValidPattern(msg))
                        throw Error(Join(p, "message"), $"'{msg}' is not a message name; expected '<kind> <location>' such as {string.Join(", ", MessageNames.Examples)}");
                    int nth = Opt(x, "nth") is { } nt ? (int)Long(nt, Join(p, "nth"), 1, 1_000_000) : 1;
                    long delay = Long(Req(x, p, "delay"), Join(p, "delay"), 1, 1_000_000_000);
                    pins.Add(new PinSpec(from, msg, nth, delay));
                }

            var bounds = Bounds.Default;
            if (Opt(root, "bounds") is { } bd)
            {
                OnlyKnown(bd, "bounds", "maxSteps", "maxStates");
                bounds = new Bounds(
                    Opt(bd, "maxSteps") is { } s ? Long(s, "bounds.maxSteps", MinSteps, MaxStepsLimit) : bounds.MaxSteps,
                    Opt(bd, "maxStates") is { } t ? Long(t, "bounds.maxStates", 1, MaxStatesLimit) : bounds.MaxStates);
            }
            long drain = Opt(root, "drainTimeout") is { } dt ? Long(dt, "drainTimeout", 1, 100_000_000_000) : DriverThread.SyncTimeoutTicks;
            return new Workload(name, description, shift, iovas, vars, threads, delays, pins, bounds, drain, text);
        }

        Op Op(JsonElement x, string p, int shift, List<IovaSpec> iovas, List<string> vars, string thread, Dictionary<string, string> iovaOwner)
        {
            var kindText = Str(Req(x, p, "op"), Join(p, "op"));
            OpKind kind = kindText switch
            {
                "unmap" => OpKind.Unmap, "map" => OpKind.Map, "tlbi" => OpKind.Tlbi, "sync" => OpKind.Sync,
                "idle" => OpKind.Idle, "suspend" => OpKind.Suspend, "resume" => OpKind.Resume,
                "store" => OpKind.Store, "store-release" => OpKind.StoreRelease, "load" => OpKind.Load,
                "smp_mb" => OpKind.SmpMb, "dma_mb" => OpKind.DmaMb, "dma_wmb" => OpKind.DmaWmb,
                "store-slot" => OpKind.StoreSlot, "writel" => OpKind.Writel, "writel_relaxed" => OpKind.WritelRelaxed,
                _ => throw Error(Join(p, "op"), $"unknown op '{kindText}'; expected unmap, map, tlbi, sync, idle, suspend, resume, store, store-release, load, smp_mb, dma_mb, dma_wmb, store-slot, writel, writel_relaxed"),
            };
            string[] allowed = kind switch
            {
                OpKind.Unmap or OpKind.Map => ["op", "iova"],
                OpKind.Tlbi => ["op", "iova", "count", "sync"],
                OpKind.Idle => ["op", "ticks"],
                OpKind.Store or OpKind.StoreRelease => ["op", "var", "value"],
                OpKind.Load => ["op", "var"],
                OpKind.StoreSlot => ["op", "slot"],
                OpKind.Writel or OpKind.WritelRelaxed => ["op", "register", "value"],
                _ => ["op"],
            };
            OnlyKnown(x, p, allowed);
            int iova = -1, var = -1, count = 1;
            bool sync = true;
            long ticks = 0, value = 0;
            if (allowed.Contains("iova"))
            {
                var n = Str(Req(x, p, "iova"), Join(p, "iova"));
                iova = iovas.FindIndex(i => i.Name == n);
                if (iova < 0) throw Error(Join(p, "iova"), $"no IOVA named '{n}' in iovas");
                if (kind is OpKind.Unmap or OpKind.Map)
                {
                    // The thread that maps and unmaps an IOVA owns it, as the DMA API's caller does; so it knows each generation.
                    if (iovaOwner.TryGetValue(n, out var owner) && owner != thread)
                        throw Error(Join(p, "iova"), $"IOVA '{n}' is mapped/unmapped by '{owner}' already; one thread owns an IOVA");
                    iovaOwner[n] = thread;
                }
            }
            if (allowed.Contains("var"))
            {
                var n = Str(Req(x, p, "var"), Join(p, "var"));
                var = vars.IndexOf(n);
                if (var < 0) throw Error(Join(p, "var"), $"no variable named '{n}' in vars");
            }
            if (kind == OpKind.Tlbi)
            {
                // arm_smmu_cmdq_batch_add issues a batch once it holds CMDQ_BATCH_ENTRIES commands, its array's size, so
                // no cmdlist is longer; a longer one would only make every state of a search carry its thousands of stores.
                count = Opt(x, "count") is { } c
                    ? (int)Long(c, Join(p, "count"), 1, CmdqBatchEntries, $": commands in one batch, of which the driver issues at most {CmdqBatchEntries} (CMDQ_BATCH_ENTRIES)")
                    : 1;
                sync = Opt(x, "sync") is { } s ? Bool(s, Join(p, "sync")) : true;
            }
            if (kind == OpKind.StoreSlot) count = (int)Long(Req(x, p, "slot"), Join(p, "slot"), 0, (1 << shift) - 1);
            if (allowed.Contains("register"))
            {
                var r = Str(Req(x, p, "register"), Join(p, "register"));
                var = r switch
                {
                    "prod" => (int)SmmuRegister.Prod, "cons" => (int)SmmuRegister.Cons, "cr0" => (int)SmmuRegister.Cr0, "gbpa" => (int)SmmuRegister.Gbpa,
                    _ => throw Error(Join(p, "register"), $"'{r}' is not a writable SMMU register; expected prod, cons, cr0 or gbpa"),
                };
            }
            if (kind == OpKind.Idle) ticks = Long(Req(x, p, "ticks"), Join(p, "ticks"), 1, 100_000_000_000);
            if (allowed.Contains("value")) value = Long(Req(x, p, "value"), Join(p, "value"), long.MinValue, long.MaxValue);
            return new Op(kind, iova, count, sync, ticks, var, value);
        }
    }
}

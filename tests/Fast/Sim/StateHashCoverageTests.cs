using System.Collections;
using System.Reflection;
using SmmuActors.Model.Litmus;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// Changing any instance field of any component, or of the invariants, changes its state hash, unless
/// the field says why not ([NotState]). Fields of owned objects (the parked waits) count as the owner's.
/// A field added without hashing it fails here instead of silently merging distinct states in the search.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class StateHashCoverageTests
{
    static ScenarioModel Model => Scenarios.Shipped("pm-cycles.json");

    public static TheoryData<string> Parts() => new(PartNames);

    static readonly string[] PartNames = ["memory", "memory-armv8", "smmu", "smmu-reads-ahead", "thread", "oracle", "litmus-memory", "litmus-cpu"];

    static object Create(string part) => part switch
    {
        "memory" => Model.CreateComponent(Layout.MemoryActor, untimed: true),
        "memory-armv8" => Scenarios.Shipped("pm-cycles.json", "as-posted", "loads=armv8").CreateComponent(Layout.MemoryActor, untimed: true),
        "smmu" => Model.CreateComponent(Layout.SmmuActor, untimed: true),
        "smmu-reads-ahead" => Scenarios.Shipped("pm-cycles.json", "as-posted", "cons-advance=any").CreateComponent(Layout.SmmuActor, untimed: true),
        "thread" => Model.CreateComponent(Layout.FirstThread, untimed: true),
        "litmus-memory" => new LitmusMemory([0, 0], 3),
        "litmus-cpu" => new LitmusCpu(Fast.Litmus.Shapes.Test("t", [Fast.Litmus.Shapes.Mov(1, 1)]).Threads[0], "t.litmus", 1, LitmusLayout.Scalars(Fast.Litmus.Shapes.Locs)),
        _ => Model.CreateOracle(),
    };

    static (ulong, ulong) Hash(object o)
    {
        var h = new StateHasher(1);
        if (o is IComponent c) c.Hash(ref h);
        else ((IInvariants)o).Hash(ref h);
        return h.Value;
    }

    [Theory]
    [MemberData(nameof(Parts))]
    public void EveryStateFieldChangesTheHash(string part)
    {
        var missed = Missed(() => Create(part), Hash);
        Assert.True(missed.Count == 0, $"{part}: these fields change without changing the state hash: {string.Join(", ", missed)}");
    }

    [Fact]
    public void AFieldTheHashForgetsIsCaught()
    {
        // The same check on a type whose hash covers one of its two state fields names the other.
        Assert.Equal(["Forgotten"], Missed(() => new HalfHashed(), o => ((HalfHashed)o).Hash()));
    }

    sealed class HalfHashed
    {
        public int Hashed = 1;
        public int Forgotten = 1;
        [NotState("configuration of the test type")]
        public int Config = 1;

        public (ulong, ulong) Hash()
        {
            var h = new StateHasher(1);
            h.Add(Hashed);
            return h.Value;
        }
    }

    /// <summary>The fields (paths) of what <paramref name="create"/> makes whose change leaves <paramref name="hash"/> unchanged.</summary>
    static List<string> Missed(Func<object> create, Func<object, (ulong, ulong)> hash)
    {
        var missed = new List<string>();
        // An owned object a configuration leaves out (memory's write history under loads=in-order) has no fields to change there.
        var sample = create();
        var paths = FieldPaths(sample.GetType(), []).Where(p => Reachable(sample, p)).ToList();
        Assert.NotEmpty(paths);
        foreach (var path in paths)
        {
            var o = create();
            var before = hash(o);
            Assert.True(Mutate(o, path, 0), $"no way to change {Describe(path)}; give the test a mutation for its type or mark it [NotState]");
            if (hash(o) == before) missed.Add(Describe(path));
        }
        return missed;
    }

    static bool Reachable(object o, FieldInfo[] path)
    {
        for (int i = 0; i < path.Length - 1; i++)
            if ((o = path[i].GetValue(o)!) is null) return false;
        return true;
    }

    const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Paths to every leaf field: a field of an owned model object (not a value or collection) is followed into.</summary>
    static IEnumerable<FieldInfo[]> FieldPaths(Type t, FieldInfo[] prefix)
    {
        foreach (var f in t.GetFields(Instance))
        {
            // Stamps hashed by rank are checked by WriteHistoryTests, which moves each across a readable write.
            if (f.GetCustomAttribute<NotStateAttribute>() is not null || f.GetCustomAttribute<HashedByRankAttribute>() is not null) continue;
            var path = prefix.Append(f).ToArray();
            if (Owned(f.FieldType)) foreach (var p in FieldPaths(f.FieldType, path)) yield return p;
            else yield return path;
        }
    }

    // A litmus register's value is a value, not an owned object: it is replaced whole, never changed in place.
    static bool Owned(Type t) => t.IsClass && t.Namespace?.StartsWith("SmmuActors.Model") == true && !t.IsArray && !typeof(RegisterValue).IsAssignableFrom(t);

    static string Describe(FieldInfo[] path) => string.Join(".", path.Select(f => f.Name));

    /// <summary>Changes the value at <paramref name="path"/>; false when the field's type has no mutation here.</summary>
    static bool Mutate(object target, FieldInfo[] path, int i)
    {
        var f = path[i];
        if (i < path.Length - 1) return Mutate(f.GetValue(target)!, path, i + 1);
        object? v = f.GetValue(target);
        switch (v)
        {
            case bool b: f.SetValue(target, !b); return true;
            case RegisterValue r: f.SetValue(target, Bump(r)); return true;
            case Reservation r: f.SetValue(target, r with { Read = r.Read + 1 }); return true;
            case Enum e:
                var values = Enum.GetValues(e.GetType());
                foreach (var other in values) if (!other.Equals(e)) { f.SetValue(target, other); return true; }
                return false;
            case byte x: f.SetValue(target, (byte)(x + 1)); return true;
            case int x: f.SetValue(target, x + 1); return true;
            case uint x: f.SetValue(target, x + 1); return true;
            case long x: f.SetValue(target, x + 1); return true;
            case ulong x: f.SetValue(target, x + 1); return true;
            case Array a when a.Length > 0:
                a.SetValue(Bump(a.GetValue(0)!), 0);
                return true;
            case Array a:
                // An empty array the owner replaces rather than grows (the parked waits): one element more.
                f.SetValue(target, Array.CreateInstance(a.GetType().GetElementType()!, 1));
                return true;
            case IDictionary d:
                var args = d.GetType().GetGenericArguments();
                d[Fresh(args[0])] = Fresh(args[1]);
                return true;
            case IList l:
                l.Add(Fresh(l.GetType().GetGenericArguments()[0]));
                return true;
            case not null when v.GetType().GetMethod("Add") is { } add && add.GetParameters().Length == 1:
                add.Invoke(v, [Fresh(add.GetParameters()[0].ParameterType)]);
                return true;
            default: return false;
        }
    }

    static object Bump(object x) => x switch
    {
        bool b => !b,
        int i => i + 1,
        uint u => u + 1,
        long l => l + 1,
        ulong u => u + 1,
        RegisterValue.Known k => new RegisterValue.Known(k.Value + 1, k.View),
        IList l => Grown(l),
        _ => throw new InvalidOperationException($"no bump for {x.GetType()}"),
    };

    static IList Grown(IList l)
    {
        l.Add(Fresh(l.GetType().GetGenericArguments()[0]));
        return l;
    }

    /// <summary>A value unlike any the model makes early in a run.</summary>
    static object Fresh(Type t) => t == typeof(int) ? 12345 : t == typeof(uint) ? 12345u : t == typeof(long) ? 12345L
        : t.IsValueType ? Activator.CreateInstance(t)! : throw new InvalidOperationException($"no fresh value for {t}");
}

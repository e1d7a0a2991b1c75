using System.Collections;
using System.Reflection;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// The search clones a component, the checks or the fabric for most deliveries, through constructors that copy field by
/// field (MemberwiseClone allocates through the runtime, three times slower). A field such a constructor leaves out
/// comes out of the clone at its default, a state the search never reached: every field of a clone must be its
/// original's, shared or copied, except what a clone drops on purpose. Each value field is first moved off whatever
/// the run left in it, so a field left out cannot pass by holding its default already.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class CloneTests
{
    public static TheoryData<string> Parts() => new(["memory", "memory-armv8", "write-history", "smmu", "thread", "power-thread", "oracle", "fabric"]);

    /// <summary>
    /// What a clone does not carry on purpose: a fabric's trace and choices stay with the run that recorded them. Its
    /// messages in flight are compared apart: the clone's array has room for them and two more, not the original's room.
    /// </summary>
    static readonly Dictionary<Type, string[]> Dropped = new()
    {
        [typeof(Fabric)] = ["_choices", "<Log>k__BackingField", "_traced", "_pending", "_parts"],
    };

    const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    [Theory]
    [MemberData(nameof(Parts))]
    public void ACloneCarriesEveryField(string part)
    {
        var (original, clone) = Cloned(part);
        var differ = Differences(original, clone, Dropped.GetValueOrDefault(original.GetType(), []));
        if (original is Fabric f && !InFlight(f).SequenceEqual(InFlight((Fabric)clone))) differ.Add("_pending");
        if (original is Fabric g && !KeptParts(g).SequenceEqual(KeptParts((Fabric)clone))) differ.Add("_parts");
        Assert.True(differ.Count == 0, $"{part}: fields the clone does not carry: {string.Join(", ", differ)}");
    }

    [Fact]
    public void AFieldTheCopyForgetsIsCaught()
    {
        var original = new HalfCopied { Copied = 3, Forgotten = 4 };
        Assert.Equal(["Forgotten"], Differences(original, original.Clone(), []));
    }

    sealed class HalfCopied
    {
        public int Copied;
        public int Forgotten;

        public HalfCopied Clone() => new() { Copied = Copied };
    }

    /// <summary>A part of a state some way into a run of the search (untimed), its value fields moved, and its clone.</summary>
    static (object, object) Cloned(string part)
    {
        bool armv8 = part is "memory-armv8" or "write-history";
        var model = armv8 ? Scenarios.Shipped("pm-cycles.json", "as-posted", "loads=armv8") : Scenarios.Shipped("pm-cycles.json");
        var (c, r) = Scenarios.Walk(model, (s, n) => s % n, steps: 60);
        // The fabric's kept hash parts are filled as the search fills them.
        var h = new StateHasher(0);
        r.Fabric.HashInFlight(ref h);
        object original = part switch
        {
            "memory" or "memory-armv8" => c[Layout.MemoryActor],
            "write-history" => typeof(MemoryComponent).GetField("_history", Instance)!.GetValue(c[Layout.MemoryActor])!,
            "smmu" => c[Layout.SmmuActor],
            "thread" => c[Layout.FirstThread],
            "power-thread" => c[Layout.FirstThread + model.Workload.Threads.Count - 1],
            "oracle" => r.Invariants,
            _ => r.Fabric,
        };
        Move(original);
        object clone = original switch
        {
            IComponent x => x.Clone(),
            IInvariants x => x.Clone(),
            Fabric x => x.Clone(),
            WriteHistory x => x.Clone(),
            _ => throw new InvalidOperationException(part),
        };
        return (original, clone);
    }

    static IEnumerable<object> InFlight(Fabric f) =>
        ((Message[])typeof(Fabric).GetField("_pending", Instance)!.GetValue(f)!).Take(f.Pending).Cast<object>();

    static IEnumerable<ulong> KeptParts(Fabric f) => ((ulong[])typeof(Fabric).GetField("_parts", Instance)!.GetValue(f)!).Take(f.Pending);

    /// <summary>Sets every field of a simple type (number, flag, enum) to a value the run did not leave there.</summary>
    static void Move(object o)
    {
        foreach (var f in o.GetType().GetFields(Instance))
        {
            object? v = f.GetValue(o);
            object? moved = v switch
            {
                // Down rather than up: a count of messages in flight then still fits the array it counts.
                bool b => !b,
                byte x => (byte)(x > 0 ? x - 1 : 1),
                int x => x > 0 ? x - 1 : 1,
                uint x => x > 0 ? x - 1 : 1u,
                long x => x > 0 ? x - 1 : 1L,
                ulong x => x > 0 ? x - 1 : 1UL,
                Enum e => Enum.GetValues(e.GetType()).Cast<object>().FirstOrDefault(other => !other.Equals(e)),
                _ => null,
            };
            if (moved is not null) f.SetValue(o, moved);
        }
    }

    /// <summary>The fields of <paramref name="clone"/> that are not <paramref name="original"/>'s: equal values, the same object, or equal contents.</summary>
    static List<string> Differences(object original, object clone, string[] dropped) =>
        original.GetType().GetFields(Instance)
            .Where(f => !dropped.Contains(f.Name) && !Carried(f.GetValue(original), f.GetValue(clone)))
            .Select(f => f.Name).ToList();

    static bool Carried(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        _ when ReferenceEquals(a, b) => true,
        _ when a.GetType().IsValueType => a.Equals(b),
        (IEnumerable x, IEnumerable y) when a.GetType() == b.GetType() => x.Cast<object>().SequenceEqual(y.Cast<object>()),
        // An owned object copied whole (memory's write history): its own fields.
        _ when a.GetType() == b.GetType() && a.GetType().Namespace?.StartsWith("SmmuActors.Model") == true => Differences(a, b, []).Count == 0,
        _ => false,
    };
}

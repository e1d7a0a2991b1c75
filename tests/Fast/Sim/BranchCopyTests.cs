using System.Reflection;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// The search builds a branch in a spare execution (<see cref="Execution.CopyFrom"/>) where it used to clone one:
/// the copy must be the clone, field for field, whatever state the spare held before, or branches would carry
/// leftovers of the branch built in it before. A field added to the fabric and not copied fails here.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class BranchCopyTests
{
    /// <summary>A branch of the search from <paramref name="root"/>'s start: a clone of it, <paramref name="steps"/> deliveries on.</summary>
    static Execution After(ScenarioModel model, Execution root, int steps, int pickFrom)
    {
        var c = model.CreateComponents(untimed: true);
        var r = root.Clone();
        var enabled = new List<int>();
        var outbox = new Outbox();
        for (int s = 0; s < steps && r.Fabric.Enabled(enabled) > 0; s++)
        {
            var m = r.Fabric.Take(enabled[(s + pickFrom) % enabled.Count]);
            var receiver = c[m.Dst].Clone();
            outbox.Begin(m.Dst);
            receiver.Handle(m, outbox);
            c[m.Dst] = receiver;
            r.Delivered(m, outbox);
            // As the search does: each message's part of the hash is kept for the next state.
            var h = new StateHasher(0);
            r.Fabric.HashInFlight(ref h);
        }
        return r;
    }

    static Execution Root(ScenarioModel model) => model.NewSearchExecution();

    [Theory]
    [InlineData("reviewer-race.json", 9, 14)]
    [InlineData("full-queue.json", 25, 3)]
    [InlineData("storm.json", 40, 60)]
    public void ACopyIntoASpareIsTheClone(string workload, int stepsHere, int stepsOfTheSpare)
    {
        var model = Scenarios.Shipped(workload);
        var root = Root(model);
        var original = After(model, root, stepsHere, 0);
        var elsewhere = After(model, root, stepsOfTheSpare, 1);
        var clone = original.Clone();
        var copy = elsewhere.Clone().CopyFrom(original);
        Assert.Same(clone.Invariants, copy.Invariants);
        Assert.True(copy.SharesInvariants);
        var differ = typeof(Fabric).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => !Same(f, clone.Fabric, copy.Fabric, original.Fabric.Pending)).Select(f => f.Name).ToList();
        Assert.True(differ.Count == 0, $"fields the copy does not carry as the clone does: {string.Join(", ", differ)}");
    }

    [Fact]
    public void TheCheckSeesALeftover()
    {
        // The same comparison between two different states names what differs: it can fail.
        var model = Scenarios.Shipped("reviewer-race.json");
        var root = Root(model);
        var a = After(model, root, 9, 0);
        var b = After(model, root, 14, 1);
        Assert.Contains(typeof(Fabric).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic),
            f => !Same(f, a.Clone().Fabric, b.Clone().Fabric, a.Fabric.Pending));
    }

    /// <summary>Arrays by content (the messages in flight and their hash parts up to the count), scratch lists not at all, anything else by value or reference.</summary>
    static bool Same(FieldInfo f, Fabric x, Fabric y, int pending)
    {
        var (a, b) = (f.GetValue(x), f.GetValue(y));
        return (a, b) switch
        {
            // An array too short to hold the count differs (two different states need not have the same room).
            (Message[] p, Message[] q) => p.Length >= pending && q.Length >= pending
                && p.AsSpan(0, pending).SequenceEqual(q.AsSpan(0, pending), new MessageEquality()),
            (ulong[] p, ulong[] q) => p.Length >= pending && q.Length >= pending && p.AsSpan(0, pending).SequenceEqual(q.AsSpan(0, pending)),
            (int[] p, int[] q) => p.SequenceEqual(q),
            (List<int>, List<int>) => true,
            _ => Equals(a, b),
        };
    }

    sealed class MessageEquality : IEqualityComparer<Message>
    {
        public bool Equals(Message a, Message b) => a.ToString() == b.ToString() && a.Seq == b.Seq && a.SendTime == b.SendTime && a.Delay == b.Delay
            && a.Class == b.Class && a.Order == b.Order && a.Fence == b.Fence && a.View == b.View && a.Own == b.Own;
        public int GetHashCode(Message m) => m.Seq;
    }
}

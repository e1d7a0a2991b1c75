using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Smmu;

/// <summary>The prod, cons and STOP a span reports are exactly memory's llq word after each delivery.</summary>
[Trait("Suite", "Fast")]
public class QueueWatchTests
{
    [Theory]
    [InlineData("reviewer-race.json", "as-posted")]
    [InlineData("storm.json", "as-posted")]
    [InlineData("storm.json", "inc-drops-stop")]
    [InlineData("pm-cycles.json", "recheck-mb")]
    public void MirrorsTheLlqWordDeliveryByDelivery(string workload, string preset)
    {
        var model = Scenarios.Shipped(workload, preset);
        long llqWrites = 0;
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var components = model.CreateComponents(untimed: false);
            var memory = (MemoryComponent)components[Layout.MemoryActor];
            var run = model.NewExecution(new RandomStrategy(seed, model.Workload.Delays), recordTrace: false, recordChoices: false);
            var outbox = new Outbox();
            var watch = new QueueWatch();
            while (run.TryNext(out var m))
            {
                outbox.Begin(m.Dst);
                components[m.Dst].Handle(m, outbox);
                run.Delivered(m, outbox);
                watch.Apply(m, outbox.Events);
                long llq = memory.Read(Layout.Llq);
                Assert.Equal((uint)llq, watch.Prod);
                Assert.Equal((uint)(llq >> 32), watch.Cons);
                if (m.Dst == Layout.MemoryActor && m.Loc == Layout.Llq && m.Kind is not (MessageKind.Load or MessageKind.Wait)) llqWrites++;
            }
        }
        Assert.True(llqWrites > 0, "the runs never touched llq, so the mirror was not exercised");
    }
}

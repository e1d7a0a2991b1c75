using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// Resume's reset copies llq into the registers as arm_smmu_device_reset does: writel_relaxed(llq.prod, PROD), then
/// writel_relaxed(llq.cons, CONS), two 32-bit reads of the llq word, so a write that lands between them gives a pair no
/// single llq value held. (The model read the word once, which the C does not promise.) Each run's power manager reads
/// llq twice after powering on, and writes PROD from the first read and CONS from the second.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class ResetLlqReadTests
{
    [Theory]
    [InlineData("as-posted")]
    [InlineData("gate-outside-cas")]
    public void The_reset_writes_PROD_from_one_read_of_llq_and_CONS_from_another(string preset)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        var q = model.Layout.Q;
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var deliveries = Scenarios.Random(model, seed, trace: true).Trace!.Entries.Select(e => e.Message).ToList();
            int on = deliveries.FindIndex(m => m.Kind == MessageKind.MmioWrite && m.Loc == (int)SmmuRegister.Power && m.A == 1);
            Assert.True(on >= 0, $"seed {seed}: no resume");
            byte pm = deliveries[on].Src;
            var after = deliveries.Skip(on).ToList();
            var reads = after.Select((m, i) => (m, i)).Where(x => x.m.Kind == MessageKind.LoadReply && x.m.Dst == pm && x.m.Loc == Layout.Llq).Take(2).ToList();
            Assert.Equal(2, reads.Count);
            var prod = after.First(m => m.Kind == MessageKind.MmioWrite && m.Src == pm && m.Loc == (int)SmmuRegister.Prod);
            var cons = after.First(m => m.Kind == MessageKind.MmioWrite && m.Src == pm && m.Loc == (int)SmmuRegister.Cons);
            Assert.Equal((uint)reads[0].m.A & q.IdxWrpMask, (uint)prod.A & q.IdxWrpMask);
            Assert.Equal((uint)(reads[1].m.A >> 32), (uint)cons.A);
        }
    }
}

using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Reports;

/// <summary>Model events in the protocol's words, for timelines.</summary>
public static class EventText
{
    public static string Describe(ScenarioModel model, in ModelEvent e)
    {
        var q = model.Layout.Q;
        var n = model.Names;
        string Pos(long p) => q.Position((uint)p);
        string Iova(long i) => i < 0 ? "-" : n.Iova((int)i);
        return e.Kind() switch
        {
            EventKind.ThreadDone => $"{n.Thread((int)e.A)} finished its program",
            EventKind.UnmapReturned => $"unmap of {Iova(e.A)} returned (generation {e.B} retired)",
            EventKind.Elided => e.A >= 0 ? $"TLBI for {Iova(e.A)} ELIDED: STOP seen set" : "commands ELIDED: STOP seen set",
            EventKind.TlbFill => $"TLB fill {Iova(e.A)} -> generation {e.B}",
            EventKind.TlbInvalidate => $"TLB entry {Iova(e.A)} invalidated",
            EventKind.SmmuEnable => e.A != 0 ? "SMMUEN=1" : "SMMUEN=0",
            EventKind.Committed => $"reserved [{Pos(e.A)}, {Pos(e.B)}) by CAS (point of commitment){(e.C != 0 ? ", owner" : "")}",
            EventKind.SlotWritten => $"command #{e.B:x} written at {Pos(e.A)}",
            EventKind.ValidSet => $"valid bits [{Pos(e.A)}, {Pos(e.B)}) flipped",
            EventKind.Fetched => $"SMMU fetched {Pos(e.A)} (command #{e.B:x})",
            EventKind.Executed => $"SMMU executed {CmdqEntry.Name((CommandOp)e.C)} at {Pos(e.A)}",
            EventKind.SyncTimeout => $"CMD_SYNC at {Pos(e.A)} TIMED OUT",
            EventKind.DrainTimeout => e.A switch
            {
                1 => "drain: wait for owner_prod to reach the STOP target TIMED OUT",
                2 => "drain: poll of CONS for the STOP target TIMED OUT",
                3 => "drain: quiesce (wait for the CMDQ lock holders) TIMED OUT",
                _ => $"drain: CMD_SYNC at {Pos(e.B)} TIMED OUT",
            },
            EventKind.FlagBitsInRegister => $"flag bits written to a register: 0x{e.B:x8}",
            EventKind.OwnerProdBackwards => $"owner_prod moved backwards {Pos(e.A)} -> {Pos(e.B)}",
            EventKind.Observed => $"observed {n.Var((int)e.A)}={e.B}",
            EventKind.Branch => $"branch: {Explorer.BranchName((ProtocolBranch)e.A)}",
            EventKind.PowerOff => "SMMU powered off",
            EventKind.LlqCasDeferred => $"{n.Actor((int)e.A)}'s CAS on llq may read an older value: the read is chosen next",
            EventKind.LlqCasPerformed => $"{n.Actor((int)e.C)}'s CAS on llq performed on its newest value",
            EventKind.Consumed => $"CONS passed {Pos(e.A)}",
            _ => e.Kind.ToString(),
        };
    }
}

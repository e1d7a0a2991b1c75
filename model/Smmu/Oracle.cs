
using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// The safety and liveness checks. It sees only the events components report, so it works the
/// same whichever engine hosts them. Safety is checked after every delivery; liveness and the
/// queue's bookkeeping at the end of the run (quiescence, or past every virtual timeout).
/// </summary>
public sealed class Oracle : IInvariants
{
    [NotState("configuration, fixed at construction")]
    readonly ScenarioNames _names;
    [NotState("configuration, fixed at construction")]
    readonly int _threads;
    readonly long[] _tlb;
    readonly long[] _retired;     // generation retired by an unmap that has returned, 0 = none
    readonly int[] _slotId;       // latest command id written per slot index
    readonly Dictionary<int, uint> _idPos = new();
    readonly HashSet<uint> _unvalidated = new();  // committed positions whose valid bit is not yet set
    readonly HashSet<int> _validated = new();     // command ids published by their valid bit, not yet executed
    readonly HashSet<int> _executed = new();
    readonly bool[] _done;
    [NotState("configuration, fixed at construction")]
    readonly ProdWord _q;
    bool _smmuEn = true;
    [NotState("transient: set and cleared within one Observe")]
    bool _tlbTouched;
    [NotState("history: what was reported; a merged state is judged by the run that reached it first")]
    readonly List<Violation> _violations = new();
    [NotState("history: kinds already reported, as _violations")]
    int _found;   // bitmask of kinds already reported
    [NotState("history: branches reached so far, merged over every run")]
    ulong _coverage;
    readonly List<(int Actor, long Var, long Value)> _observed = new();

    public Oracle(ProdWord q, int threads, long[] initialTlb, ScenarioNames names)
    {
        _q = q;
        _names = names;
        _threads = threads;
        _tlb = (long[])initialTlb.Clone();
        _retired = new long[initialTlb.Length];
        _slotId = new int[q.Entries];
        _done = new bool[threads];
    }

    public IReadOnlyList<Violation> Violations => _violations;
    public ulong Coverage => _coverage;

    /// <summary>The loads litmus programs made, per thread in program order, as "thread:var=value".</summary>
    public string Outcome => _observed.Count == 0 ? ""
        : string.Join(" ", _observed.OrderBy(o => o.Actor).Select(o => $"{_names.Actor(o.Actor)}:{_names.Var((int)o.Var)}={o.Value}"));

    public void Observe(List<ModelEvent> events, long step, long time)
    {
        for (int i = 0; i < events.Count; i++) Observe(events[i], step, time);
        if (_tlbTouched) CheckStale(step, time);
        _tlbTouched = false;
    }

    void Observe(in ModelEvent e, long step, long time)
    {
        switch (e.Kind())
        {
            case EventKind.ThreadDone: _done[e.A] = true; break;
            case EventKind.UnmapReturned:
                _retired[e.A] = e.B;
                _tlbTouched = true;
                break;
            case EventKind.TlbFill: _tlb[e.A] = e.B; _tlbTouched = true; break;
            case EventKind.TlbInvalidate: _tlb[e.A] = 0; break;
            case EventKind.SmmuEnable: _smmuEn = e.A != 0; _tlbTouched = true; break;
            case EventKind.Committed:
                for (uint p = (uint)e.A; p != (uint)e.B; p = _q.IncProdN(p, 1, false)) _unvalidated.Add(p);
                break;
            case EventKind.SlotWritten:
                _slotId[_q.Idx((uint)e.A)] = (int)e.B;
                _idPos[(int)e.B] = (uint)e.A;
                break;
            case EventKind.ValidSet:
                for (uint p = (uint)e.A; p != (uint)e.B; p = _q.IncProdN(p, 1, false))
                {
                    _unvalidated.Remove(p);
                    int id = _slotId[_q.Idx(p)];
                    if (id != 0) _validated.Add(id);
                }
                break;
            case EventKind.Fetched:
                if (e.B == 0)
                    Report(ViolationKind.QueueInvariant, step, time, $"the SMMU fetched slot {_q.Idx((uint)e.A)} (CONS {Pos(e.A)}), which no CPU ever wrote");
                else if (_idPos.TryGetValue((int)e.B, out var at) && at != (uint)e.A)
                    Report(ViolationKind.QueueInvariant, step, time, $"the SMMU fetched CONS {Pos(e.A)} but the slot holds the command written for {Pos(at)} (another lap)");
                break;
            case EventKind.Executed:
                if (!_executed.Add((int)e.B))
                    Report(ViolationKind.QueueInvariant, step, time, $"the SMMU re-ran an already consumed {CmdqEntry.Name((CommandOp)e.C)} at {Pos(e.A)} (hardware CONS moved backwards)");
                _validated.Remove((int)e.B);
                break;
            case EventKind.SyncTimeout:
                Report(ViolationKind.SyncTimeout, step, time, $"{_names.Actor(e.Actor)}'s CMD_SYNC at {Pos(e.A)} did not complete within 1 s");
                break;
            case EventKind.DrainTimeout:
                Report(ViolationKind.DrainTimeout, step, time, e.A switch
                {
                    1 => $"{_names.Actor(e.Actor)}'s suspend: owner_prod never reached the STOP target",
                    2 => $"{_names.Actor(e.Actor)}'s suspend: hardware CONS never reached the STOP target",
                    _ => $"{_names.Actor(e.Actor)}'s suspend: CMDQ lock holders never left",
                });
                break;
            case EventKind.FlagBitsInRegister:
                Report(ViolationKind.QueueInvariant, step, time, $"flag bits reached {RegisterName(e.A)}: 0x{e.B:x8}");
                break;
            case EventKind.OwnerProdBackwards:
                Report(ViolationKind.QueueInvariant, step, time, $"owner_prod moved backwards: {Pos(e.A)} -> {Pos(e.B)}");
                break;
            case EventKind.Observed: _observed.Add((e.Actor, e.A, e.B)); break;
            case EventKind.Branch: _coverage |= 1UL << (int)e.A; break;
        }
    }

    static string RegisterName(long code) => code switch
    {
        Layout.OwnerProd => "owner_prod",
        (long)SmmuRegister.Prod => "the PROD register",
        _ => "the CONS register",
    };

    string Pos(long p) => _q.Position((uint)p);

    void CheckStale(long step, long time)
    {
        if (!_smmuEn) return;
        for (int i = 0; i < _tlb.Length; i++)
        {
            if (_retired[i] == 0 || _tlb[i] == 0 || _tlb[i] > _retired[i]) continue;
            Report(ViolationKind.StaleTranslation, step, time,
                $"after the unmap of {_names.Iova(i)} returned, the SMMU TLB holds its old translation (generation {_tlb[i]}) with SMMUEN=1");
        }
    }

    /// <summary>End of run: the liveness and bookkeeping checks.</summary>
    public void Finish(long step, long time, bool quiescent)
    {
        if (quiescent)
            for (int t = 0; t < _threads; t++)
                if (!_done[t])
                    Report(ViolationKind.Deadlock, step, time, $"{_names.Thread(t)} waits forever: nothing left in flight can wake it");
        if (_unvalidated.Count > 0)
            Report(ViolationKind.AbandonedBatch, step, time,
                $"committed slot(s) {string.Join(", ", _unvalidated.OrderBy(p => p).Select(p => Pos(p)))} never received a valid command");
        if (_validated.Count > 0)
            Report(ViolationKind.LostCommand, step, time,
                $"{_validated.Count} command(s) written and published never took effect (e.g. at {Pos(_idPos[_validated.Min()])})");
    }

    void Report(ViolationKind k, long step, long time, string detail)
    {
        if ((_found & (1 << (int)k)) != 0) return;
        _found |= 1 << (int)k;
        _violations.Add(new Violation(k, step, time, detail));
    }

    /// <summary>What of the oracle's bookkeeping shapes future verdicts, for exhaustive state hashing.</summary>
    public void Hash(ref StateHasher h)
    {
        long s;
        h.Add(_smmuEn ? 1 : 0);
        foreach (var r in _retired) h.Add(r);
        foreach (var t in _tlb) h.Add(t);
        foreach (var id in _slotId) h.Add(id);
        foreach (var d in _done) h.Add(d ? 1 : 0);
        s = 0;
        foreach (var (id, pos) in _idPos) s += (id * 0x27D4EB2FL) ^ pos;
        h.Add(_idPos.Count);
        h.Add(s);
        h.Add(_unvalidated.Count);
        s = 0;
        foreach (var p in _unvalidated) s += p * 0x9E3779B1L;
        h.Add(s);
        h.Add(_validated.Count);
        s = 0;
        foreach (var id in _validated) s += id * 0x85EBCA77L;
        h.Add(s);
        s = 0;
        foreach (var id in _executed) s += id * 0xC2B2AE3DL;
        h.Add(s);
        // Litmus outcomes are history, not state: two runs that observed differently must not merge.
        foreach (var (actor, v, value) in _observed) { h.Add(actor); h.Add(v); h.Add(value); }
    }
}

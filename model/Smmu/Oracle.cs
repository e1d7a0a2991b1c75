using System.Globalization;
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
    long[] _tlb;
    long[] _retired;     // generation retired by an unmap that has returned, 0 = none
    int[] _slotId;       // latest command id written per slot index
    Dictionary<int, uint> _idPos;
    HashSet<uint> _unvalidated;  // committed positions whose valid bit is not yet set
    HashSet<int> _validated;     // command ids published by their valid bit, not yet executed or consumed
    [NotState("hashed through _executedSum, kept as it changes (OracleSumTests holds the two together)")]
    HashSet<int> _executed;
    // The four collections' order-independent sums for the hash, kept as they change: a state is hashed after most
    // deliveries that change the checks, and a pass over each set's entries cost more than the rest of the hash.
    long _idPosSum, _unvalidatedSum, _validatedSum, _executedSum;
    bool[] _done;
    [NotState("configuration, fixed at construction")]
    readonly ProdWord _q;
    bool _smmuEn;
    [NotState("transient: set and cleared within one Observe")]
    bool _tlbTouched;
    [NotState("history: what was reported; a merged state is judged by the run that reached it first")]
    List<Violation> _violations;
    [NotState("history: kinds already reported, as _violations")]
    int _found;   // bitmask of kinds already reported
    [NotState("transient: set and cleared within one Observe or Finish")]
    int _fired;   // bitmask of kinds this delivery (or this end) reported
    [NotState("history: branches reached so far, merged over every run")]
    ulong _coverage;
    List<(int Actor, long Var, long Value)> _observed;

    [NotState("configuration, fixed at construction")]
    readonly bool _judgeTimeouts;
    [NotState("configuration, fixed at construction")]
    readonly bool _eachTransition;
    [NotState("bookkeeping of the copy on write: which collections are shared with a clone, a bit per Part")]
    int _shared;
    long _llq;         // the llq word, mirrored from deliveries (as QueueWatch does)
    bool _drained;     // the suspend powered the SMMU off and resume has not cleared STOP yet

    /// <summary>
    /// <paramref name="judgeTimeouts"/>: a timeout event is a violation (timed runs, where it fires after 1 s of
    /// virtual time). The untimed search fires timeouts only when nothing else can happen and decides the
    /// time-based kinds on its state graph instead (see docs/model.md, liveness).
    /// <paramref name="eachTransition"/>: every delivery (and a run's end) reports each kind it shows, whether or not the
    /// run showed it before (the search: which transitions show a kind is then a function of the state and the delivery,
    /// not of the path that first reached the state); otherwise a run reports each kind once, at its first.
    /// </summary>
    public Oracle(ProdWord q, int threads, long[] initialTlb, ScenarioNames names, bool judgeTimeouts = true, bool eachTransition = false)
    {
        _judgeTimeouts = judgeTimeouts;
        _eachTransition = eachTransition;
        _q = q;
        _names = names;
        _threads = threads;
        _tlb = (long[])initialTlb.Clone();
        _retired = new long[initialTlb.Length];
        _slotId = new int[q.Entries];
        _done = new bool[threads];
        _idPos = new();
        _unvalidated = new();
        _validated = new();
        _executed = new();
        _smmuEn = true;
        _violations = new();
        _observed = new();
    }

    /// <summary>A copy of <paramref name="o"/> sharing every collection (see <see cref="Clone"/>; why not MemberwiseClone: <see cref="ArrayCopy"/>).</summary>
    Oracle(Oracle o)
    {
        _names = o._names; _threads = o._threads; _tlb = o._tlb; _retired = o._retired; _slotId = o._slotId; _idPos = o._idPos;
        _unvalidated = o._unvalidated; _validated = o._validated; _executed = o._executed; _done = o._done; _q = o._q; _smmuEn = o._smmuEn;
        _tlbTouched = o._tlbTouched; _violations = o._violations; _found = o._found; _fired = o._fired; _coverage = o._coverage;
        _observed = o._observed; _judgeTimeouts = o._judgeTimeouts; _eachTransition = o._eachTransition; _shared = o._shared; _llq = o._llq;
        _drained = o._drained; _idPosSum = o._idPosSum; _unvalidatedSum = o._unvalidatedSum; _validatedSum = o._validatedSum;
        _executedSum = o._executedSum;
    }

    internal static long IdPosTerm(int id, uint pos) => StateHasher.Element(1, (long)id << 32 | pos);
    internal static long UnvalidatedTerm(uint pos) => StateHasher.Element(2, pos);
    internal static long ValidatedTerm(int id) => StateHasher.Element(3, id);
    internal static long ExecutedTerm(int id) => StateHasher.Element(4, id);

    public IReadOnlyList<Violation> Violations => _violations;
    public ulong Coverage => _coverage;

    /// <summary>The loads litmus programs made, per thread in program order, as "thread:var=value".</summary>
    public string Outcome => _observed.Count == 0 ? ""
        : string.Join(" ", _observed.Select(o => string.Create(CultureInfo.InvariantCulture, $"{_names.Actor(o.Actor)}:{_names.Var((int)o.Var)}={o.Value}")));

    public void Observe(in Message m, List<ModelEvent> events, long step, long time)
    {
        if (LlqAccess.Performed(m, events, out var access)) ObserveLlq(access, step, time);
        for (int i = 0; i < events.Count; i++) Observe(events[i], step, time);
        if (_tlbTouched) CheckStale(step, time);
        _tlbTouched = false;
        _fired = 0;
    }

    public bool Reads(in Message m, List<ModelEvent> events) => events.Count > 0 || (m.Dst == Layout.MemoryActor && m.Loc == Layout.Llq);

    /// <summary>The gate's own invariants, on the llq word as memory applies each access.</summary>
    void ObserveLlq(in Message m, long step, long time)
    {
        long before = _llq;
        _llq = WordUpdate.Apply(m, _llq);
        uint was = (uint)before, now = (uint)_llq;
        if (ProdWord.IsStop(was) && !ProdWord.IsStop(now))
        {
            // Only resume clears STOP, with an and-not of the flag (protocol.md §3.4).
            if (m.Kind == MessageKind.AndNot && (m.A & ProdWord.Stop) != 0) _drained = false;
            else Report(ViolationKind.StopLost, step, time,
                $"{_names.Actor(m.Src)}'s {Naming.Kebab(m.Kind)} on llq cleared STOP while the SMMU was suspended (prod {Pos(was)} -> {Pos(now)})");
        }
        if (m.Kind == MessageKind.Cas && _drained && _q.Distance(was, now) != 0 && before == m.A)
            Report(ViolationKind.CommitAfterDrain, step, time,
                $"{_names.Actor(m.Src)}'s CAS reserved {Pos(was)}..{Pos(now)} after the suspend drained the queue and powered the SMMU off");
    }

    void Observe(in ModelEvent e, long step, long time)
    {
        switch (e.Kind())
        {
            case EventKind.ThreadDone: Own(ref _done, Part.Done)[e.A] = true; break;
            case EventKind.UnmapReturned:
                Own(ref _retired, Part.Retired)[e.A] = e.B;
                _tlbTouched = true;
                break;
            case EventKind.TlbFill: Own(ref _tlb, Part.Tlb)[e.A] = e.B; _tlbTouched = true; break;
            case EventKind.TlbInvalidate: Own(ref _tlb, Part.Tlb)[e.A] = 0; break;
            case EventKind.SmmuEnable: _smmuEn = e.A != 0; _tlbTouched = true; break;
            case EventKind.Committed:
                var committed = Own(ref _unvalidated, Part.Unvalidated);
                for (uint p = (uint)e.A; p != (uint)e.B; p = _q.IncProdN(p, 1, false))
                    if (committed.Add(p)) _unvalidatedSum += UnvalidatedTerm(p);
                break;
            case EventKind.SlotWritten:
                Own(ref _slotId, Part.SlotId)[_q.Idx((uint)e.A)] = (int)e.B;
                var idPos = Own(ref _idPos, Part.IdPos);
                if (idPos.TryGetValue((int)e.B, out var was)) _idPosSum -= IdPosTerm((int)e.B, was);
                idPos[(int)e.B] = (uint)e.A;
                _idPosSum += IdPosTerm((int)e.B, (uint)e.A);
                break;
            case EventKind.ValidSet:
                var unvalidated = Own(ref _unvalidated, Part.Unvalidated);
                var validated = Own(ref _validated, Part.Validated);
                for (uint p = (uint)e.A; p != (uint)e.B; p = _q.IncProdN(p, 1, false))
                {
                    if (unvalidated.Remove(p)) _unvalidatedSum -= UnvalidatedTerm(p);
                    int id = _slotId[_q.Idx(p)];
                    if (id != 0 && validated.Add(id)) _validatedSum += ValidatedTerm(id);
                }
                break;
            case EventKind.Fetched:
                if (e.B == 0)
                    Report(ViolationKind.QueueInvariant, step, time, $"the SMMU fetched slot {_q.Idx((uint)e.A)} (CONS {Pos(e.A)}), which no CPU ever wrote");
                else if (_idPos.TryGetValue((int)e.B, out var at) && at != (uint)e.A)
                    Report(ViolationKind.QueueInvariant, step, time, $"the SMMU fetched CONS {Pos(e.A)} but the slot holds the command written for {Pos(at)} (another lap)");
                break;
            case EventKind.Executed:
                if (Own(ref _executed, Part.Executed).Add((int)e.B)) _executedSum += ExecutedTerm((int)e.B);
                else Report(ViolationKind.QueueInvariant, step, time, $"the SMMU re-ran an already consumed {CmdqEntry.Name((CommandOp)e.C)} at {Pos(e.A)} (hardware CONS moved backwards)");
                if (Own(ref _validated, Part.Validated).Remove((int)e.B)) _validatedSum -= ValidatedTerm((int)e.B);
                break;
            case EventKind.Consumed:
            {
                // The SMMU took the command: one a power-off then cancels is not lost (§4.8; its CMD_SYNC, if any, is). Only
                // the command written for this position: a slot rewritten before CONS passed it holds one never read.
                int id = _slotId[_q.Idx((uint)e.A)];
                if (_idPos.TryGetValue(id, out var written) && written == (uint)e.A && Own(ref _validated, Part.Validated).Remove(id))
                    _validatedSum -= ValidatedTerm(id);
                break;
            }
            case EventKind.SyncTimeout when _judgeTimeouts:
                Report(ViolationKind.SyncTimeout, step, time, $"{_names.Actor(e.Actor)}'s CMD_SYNC at {Pos(e.A)} did not complete within 1 s");
                break;
            case EventKind.DrainTimeout when _judgeTimeouts:
                Report(ViolationKind.DrainTimeout, step, time, e.A switch
                {
                    1 => $"{_names.Actor(e.Actor)}'s suspend: owner_prod never reached the STOP target",
                    2 => $"{_names.Actor(e.Actor)}'s suspend: hardware CONS never reached the STOP target",
                    4 => $"{_names.Actor(e.Actor)}'s suspend: the drain's CMD_SYNC at {Pos(e.B)} did not complete within 1 s",
                    _ => $"{_names.Actor(e.Actor)}'s suspend: CMDQ lock holders never left",
                });
                break;
            case EventKind.FlagBitsInRegister:
                Report(ViolationKind.QueueInvariant, step, time, $"flag bits reached {RegisterName(e.A)}: 0x{e.B:x8}");
                break;
            case EventKind.OwnerProdBackwards:
                Report(ViolationKind.QueueInvariant, step, time, $"owner_prod moved backwards: {Pos(e.A)} -> {Pos(e.B)}");
                break;
            case EventKind.Observed:
            {
                // Kept by thread, each in program order: which thread's load was answered first is no part of the outcome.
                var observed = Own(ref _observed, Part.Observed);
                int at = observed.Count;
                while (at > 0 && observed[at - 1].Actor > e.Actor) at--;
                observed.Insert(at, (e.Actor, e.A, e.B));
                break;
            }
            case EventKind.Branch:
                _coverage |= 1UL << (int)e.A;
                if (e.A == (long)ProtocolBranch.DrainFinished) _drained = true;
                break;
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
        _fired = 0;
    }

    void Report(ViolationKind k, long step, long time, string detail)
    {
        ref int reported = ref _eachTransition ? ref _fired : ref _found;
        if ((reported & (1 << (int)k)) != 0) return;
        reported |= 1 << (int)k;
        Own(ref _violations, Part.Violations).Add(new Violation(k, step, time, detail));
    }

    /// <summary>What of the oracle's bookkeeping shapes future verdicts, for exhaustive state hashing.</summary>
    public void Hash(ref StateHasher h)
    {
        h.Add(_smmuEn ? 1 : 0);
        h.Add(_llq);
        h.Add(_drained ? 1 : 0);
        foreach (var r in _retired) h.Add(r);
        foreach (var t in _tlb) h.Add(t);
        foreach (var id in _slotId) h.Add(id);
        foreach (var d in _done) h.Add(d ? 1 : 0);
        h.Add(_idPos.Count);
        h.Add(_idPosSum);
        h.Add(_unvalidated.Count);
        h.Add(_unvalidatedSum);
        h.Add(_validated.Count);
        h.Add(_validatedSum);
        h.Add(_executed.Count);
        h.Add(_executedSum);
        // Litmus outcomes are history, not state: two runs that observed differently must not merge.
        foreach (var (actor, v, value) in _observed) { h.Add(actor); h.Add(v); h.Add(value); }
    }

    /// <summary>
    /// A copy that shares the collections until either side writes one (most deliveries report nothing that
    /// changes them, and the search clones the invariants for every state); each side then copies only the
    /// collection it writes.
    /// </summary>
    public IInvariants Clone()
    {
        _shared = AllParts;
        return new Oracle(this);
    }

    /// <summary>The collections, one bit each in <see cref="_shared"/>.</summary>
    enum Part { Tlb, Retired, SlotId, IdPos, Unvalidated, Validated, Executed, Done, Violations, Observed }

    // Computed once: Enum.GetValues makes an array, and the search clones the checks for most states it reaches.
    static readonly int AllParts = (1 << Enum.GetValues<Part>().Length) - 1;

    /// <summary>True (and no longer shared from here on) when a clone shares the collection: the caller copies it before writing.</summary>
    bool Shared(Part p)
    {
        int bit = 1 << (int)p;
        if ((_shared & bit) == 0) return false;
        _shared &= ~bit;
        return true;
    }

    T[] Own<T>(ref T[] a, Part p) => Shared(p) ? a = ArrayCopy.Of(a) : a;
    HashSet<T> Own<T>(ref HashSet<T> s, Part p) => Shared(p) ? s = new(s) : s;
    List<T> Own<T>(ref List<T> l, Part p) => Shared(p) ? l = new(l) : l;
    Dictionary<TKey, TValue> Own<TKey, TValue>(ref Dictionary<TKey, TValue> d, Part p) where TKey : notnull => Shared(p) ? d = new(d) : d;
}

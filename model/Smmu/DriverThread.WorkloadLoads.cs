using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// A workload's `load` op under loads=armv8 (docs/model.md, "Memory ordering"): like the litmus threads', it does not hold
/// the thread. The thread goes on to its next op and the load's answer is taken whenever it comes, so a later store may
/// become visible before the load is satisfied (LB). What Arm orders after a load waits for it here:
/// <list type="bullet">
/// <item>a full barrier (smp_mb, dma_mb) is issued only once every earlier load is answered (DMB orders loads too);</item>
/// <item>a store-release is held back until every load before it is answered (<c>po; [L]</c> in bob), while the ops
/// after it go on; a later store or load of its location, or a later release, is held behind it (coherence, release
/// order);</item>
/// <item>the program ends, and a driver op starts, only once every load is answered and every held store sent: the
/// driver paths are written for loads that held the thread, so a driver op after a `load` with no full barrier between
/// is flagged (<see cref="Workloads.ScenarioModel.WorkloadLoadsStrongerThanArmv8"/>).</item>
/// </list>
/// Holding a later load back never removes a behaviour: a load delivered later may read every write one delivered
/// earlier may (<see cref="WriteHistory"/>). The values are reported in program order, as the outcome lists them.
/// </summary>
public sealed partial class DriverThread
{
    /// <summary>A load in flight: its op's place in the program (1-based), and its value once answered.</summary>
    readonly record struct PendingLoad(int Op, long Value, bool Answered);

    /// <summary>
    /// An access held back: a store-release until the loads before it (op places below <paramref name="Op"/>) are
    /// answered, a store or load of a location a held access touches, which must follow that access (coherence), or a
    /// load of a location an unanswered load reads, until that one is answered.
    /// </summary>
    readonly record struct HeldAccess(int Op, int Loc, long Value, HeldKind Kind);

    enum HeldKind : byte { Store, Release, Load }

    // Oldest first; replaced on every change, never written in place, so clones share them.
    PendingLoad[] _loads = [];
    HeldAccess[] _held = [];
    bool _awaitingLoads;

    bool LoadsDoNotHold => _v.Loads == Loads.Armv8;

    /// <summary>
    /// Issues a workload load that does not hold the thread; its answer is tagged with the op's place. It is held back
    /// behind a held access to its location (it may read a held store or a later write, not an older one) and behind an
    /// unanswered load of its location: it may read only what that one reads or a later write (CoRR), which a timed
    /// run could not keep once both were in flight, since the earlier one's read choices are put in flight only when
    /// memory takes it (<see cref="OrderingRules.ReadChosenFirst"/> places a load behind choices already in flight).
    /// </summary>
    void IssueLoad(Outbox o, int loc)
    {
        _loads = [.. _loads, new PendingLoad(_op, 0, false)];
        if (Array.Exists(_held, s => s.Loc == loc) || UnansweredBefore(_op, loc)) _held = [.. _held, new HeldAccess(_op, loc, 0, HeldKind.Load)];
        else SendLoad(o, loc, _op);
    }

    /// <summary>Whether a load before op place <paramref name="op"/> (of <paramref name="loc"/>, or of any location when -1) is unanswered.</summary>
    bool UnansweredBefore(int op, int loc = -1) =>
        Array.Exists(_loads, l => !l.Answered && l.Op < op && (loc < 0 || _l.Var(_program[l.Op - 1].Var) == loc));

    static void SendLoad(Outbox o, int loc, int op) =>
        o.Send(Layout.MemoryActor, MessageKind.Load, DelayClass.Request, Ordering.None, loc, 0, 0, LoadTag(op));

    /// <summary>Negative, so it is never a block's tag (<see cref="NextBlock"/>).</summary>
    static long LoadTag(int op) => -op;

    static bool IsLoadAnswer(in Message m) => m.Kind == MessageKind.LoadReply && m.C < 0;

    /// <summary>A workload load's answer: reported once every earlier load's is, and the stores held for it go.</summary>
    void LoadAnswered(Outbox o, in Message m)
    {
        int op = (int)-m.C;
        int i = Array.FindIndex(_loads, l => l.Op == op);
        if (i < 0) throw new InvalidOperationException($"thread {_index}: an answer to load op {op}, which is not in flight");
        var loads = ArrayCopy.Of(_loads);
        loads[i] = loads[i] with { Value = m.A, Answered = true };
        int done = 0;
        while (done < loads.Length && loads[done].Answered)
        {
            o.Emit(EventKind.Observed, _program[loads[done].Op - 1].Var, loads[done].Value);
            done++;
        }
        _loads = loads[done..];
        SendHeld(o);
        _awaitingLoads = false;
    }

    /// <summary>Sends the held accesses, oldest first, while the oldest has no load before it unanswered that it must follow.</summary>
    void SendHeld(Outbox o)
    {
        int sent = 0;
        while (sent < _held.Length && Sendable(_held[sent]))
        {
            var a = _held[sent++];
            if (a.Kind == HeldKind.Load) SendLoad(o, a.Loc, a.Op);
            else Store(o, a.Loc, a.Value, a.Kind == HeldKind.Release ? Ordering.AfterStores : Ordering.None, a.Op);
        }
        if (sent > 0) _held = _held[sent..];
    }

    /// <summary>A held access at the head of the queue may go: a release once the loads before it are answered, a load once those of its location are.</summary>
    bool Sendable(in HeldAccess a) => a.Kind switch
    {
        HeldKind.Release => !UnansweredBefore(a.Op),
        HeldKind.Load => !UnansweredBefore(a.Op, a.Loc),
        _ => true,
    };

    /// <summary>A store op under loads=armv8: held back behind loads (a release) or behind a held store to its location; else sent.</summary>
    void StoreAfterLoads(Outbox o, int loc, long value, bool release)
    {
        if (release && (UnansweredBefore(_op) || _held.Length > 0) || Array.Exists(_held, s => s.Loc == loc))
            _held = [.. _held, new HeldAccess(_op, loc, value, release ? HeldKind.Release : HeldKind.Store)];
        else Store(o, loc, value, release ? Ordering.AfterStores : Ordering.None);
    }

    /// <summary>
    /// Whether the thread must wait for its loads' answers (and its held stores to go) before <paramref name="next"/>
    /// (null: the end of its program), as the type's summary lists.
    /// </summary>
    bool MustAwaitLoads(Op? next)
    {
        if (_loads.Length == 0 && _held.Length == 0) return false;
        if (next is null) return true;
        return next.Kind switch
        {
            OpKind.Load or OpKind.Store or OpKind.StoreRelease or OpKind.Idle or OpKind.WritelRelaxed or OpKind.StoreSlot => false,
            // dma_wmb orders the held stores before every later store: they go first. A load held behind another is no
            // store, and DMB OSHST orders it before nothing.
            OpKind.DmaWmb or OpKind.Writel => Array.Exists(_held, a => a.Kind != HeldKind.Load),
            _ => true,
        };
    }

    void HashLoads(ref StateHasher h)
    {
        h.Add(_awaitingLoads ? 1 : 0);
        h.Add(_loads.Length);
        foreach (var l in _loads) { h.Add(l.Op); h.Add(l.Value); h.Add(l.Answered ? 1 : 0); }
        h.Add(_held.Length);
        foreach (var a in _held) { h.Add(a.Op); h.Add(a.Loc); h.Add(a.Value); h.Add((long)a.Kind); }
    }
}

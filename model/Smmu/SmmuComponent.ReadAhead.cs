using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// cons-advance=any: the SMMU as loose as SMMUv3 lets it consume commands (§4.1.4, §4.7.3, §4.8, §6.3.9.3): it reads
/// slots ahead, each command but a CMD_SYNC takes effect at a moment of its own, CONS follows the reads step by step,
/// and a CMD_SYNC completes once every command before it took effect.
/// </summary>
public sealed partial class SmmuComponent
{
    /// <summary>
    /// cons-advance=any: a command read. Any but a CMD_SYNC takes effect at a moment of its own and CONS may pass it at
    /// once, and the next read begins (§4.1.4: consuming it means only that its slot was read); a CMD_SYNC holds back
    /// later commands until every earlier one took effect (§4.7.3).
    /// </summary>
    void ReadAhead(in Message m, Outbox o)
    {
        _busy = false;
        if ((_cr0 & Cr0.CmdqEn) == 0) return; // no read becomes visible after CMDQEN=0 completes (§6.3.9.3)
        o.Emit(EventKind.Fetched, _fetch, CmdqEntry.Id(m.A));
        if (CmdqEntry.Op(m.A) == CommandOp.Sync)
        {
            _waitingSync = m.A;
            ScheduleSync(o);
            return;
        }
        _executing++;
        o.Send(Layout.SmmuActor, MessageKind.Timer, DelayClass.Execution, Ordering.None, 0, m.A, _fetch, _epoch);
        _fetch = Next(_fetch);
        RequestConsStep(o);
        TryFetch(o);
    }

    /// <summary>cons-advance=any: once every command before the waiting CMD_SYNC took effect, it may complete.</summary>
    void ScheduleSync(Outbox o)
    {
        if (_waitingSync == 0 || _executing != 0) return;
        o.Send(Layout.SmmuActor, MessageKind.Timer, DelayClass.Execution, Ordering.None, 0, _waitingSync, _fetch, _epoch);
    }

    /// <summary>
    /// cons-advance=any: the CMD_SYNC completes, and CONS passes it in the same step, ahead of its MSI: "observation of
    /// the interrupt [...] means that the consumption of the CMD_SYNC is observable" (§4.7.3). A completion not yet
    /// seen in CONS or an MSI is the state before this step.
    /// </summary>
    void CompleteSync(in Message m, Outbox o)
    {
        if (_waitingSync != m.A || _fetch != (uint)m.B) return; // CMDQEN=0 abandoned it before it began
        _waitingSync = 0;
        TakeEffect(m.A, _fetch, o);
        _fetch = Next(_fetch);
        ConsumeUpTo(_fetch, o);
        TryFetch(o);
    }

    /// <summary>
    /// CONS moves one command at a time, each in a step of its own, so any lag behind the reads is explored; a batch is
    /// the same moves unobserved in between (§6.3.28).
    /// </summary>
    void RequestConsStep(Outbox o)
    {
        if (_consStepping || _cons == _fetch) return;
        _consStepping = true;
        o.Send(Layout.SmmuActor, MessageKind.Timer, DelayClass.Execution, Ordering.None, ConsStep, 0, 0, _epoch);
    }

    void StepCons(in Message m, Outbox o)
    {
        if (m.C != _epoch) return;
        _consStepping = false;
        if (_cons == _fetch) return; // CMDQEN=0 has consumed the rest already
        ConsumeUpTo(Next(_cons), o);
        RequestConsStep(o);
    }

    /// <summary>
    /// cons-advance=any, CMDQEN 1 -> 0: reading stops; every command read is consumed, so CONS names the first one not
    /// processed; a CMD_SYNC still waiting has not begun and is read again once the queue is enabled (§6.3.9.3).
    /// Commands read may still take effect until a power-off: consumed ones are "not guaranteed to be complete".
    /// </summary>
    void StopCommands(Outbox o)
    {
        _waitingSync = 0;
        ConsumeUpTo(_fetch, o);
    }
}

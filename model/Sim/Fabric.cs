namespace SmmuActors.Model.Sim;

/// <summary>
/// The interconnect of one scenario: the messages in flight, the ordering the architecture keeps
/// (<see cref="OrderingRules"/>), and the record of every delivery. Engines ask it for the next
/// message, deliver it however they host the component, and hand back what the component sent and
/// reported. Timed (random runs and their replays): a virtual clock, each message delivered at its
/// send time plus a chosen delay. Untimed (the exhaustive search and its replays): any message in
/// flight that no rule holds back may go next, and a timeout only when nothing else can.
/// </summary>
public sealed class Fabric
{
    readonly IStrategy _strategy;
    readonly IReadOnlyList<Pin> _pins;
    readonly Func<Message, string>? _pinKey;
    int[] _pinCount;
    int[] _fences;        // per source: store fences executed so far; replaced, never written in place
    ChoiceLog? _choices;
    Message[] _pending;
    // Untimed: each pending message's part of the in-flight hash, index for index with _pending, or 0 until
    // HashInFlight computes it; a delivery changes few parts, so a successor rehashes only those.
    ulong[]? _parts;
    int _count;
    int _seq;
    StateHasher _trace;
    bool _traced;   // a clone carries no trace, so it does not hash one
    bool _stopped;

    public long Now { get; private set; }
    public long Steps { get; private set; }
    public int Pending => _count;
    public TraceLog? Log { get; private set; }

    /// <summary>Untimed: the exhaustive search's semantics (see the class summary).</summary>
    public bool Untimed { get; }

    /// <summary>An untimed replay ran out of recorded choices: the run ends where its witness ends.</summary>
    public bool Stopped => _stopped;

    public Fabric(int actors, IStrategy strategy, IReadOnlyList<Pin> pins, Func<Message, string>? pinKey, bool recordTrace, bool recordChoices)
    {
        _fences = new int[actors];
        _pending = new Message[16];
        _trace = new(0x5EED);
        _traced = true;
        _enabled = new(8);
        Untimed = strategy.Untimed;
        if (Untimed) _parts = new ulong[_pending.Length];
        _strategy = strategy;
        _pins = pins;
        _pinKey = pinKey;
        _pinCount = new int[pins.Count];
        if (recordTrace) Log = new TraceLog();
        if (recordChoices) _choices = new ChoiceLog();
    }

    public IReadOnlyList<long>? Choices => _choices?.Values;

    public IStrategy Strategy => _strategy;

    /// <summary>Puts a thread's Start message in flight at its start offset.</summary>
    public void StartThread(byte actor, int thread, IReadOnlyList<long> menu)
    {
        long at = Untimed || menu.Count == 1 ? menu[0] : Rec(_strategy.Start(thread, menu));
        Enqueue(new Message { Src = actor, Dst = actor, Kind = MessageKind.Start, Class = DelayClass.Fixed, Seq = _seq++, SendTime = 0, Time = at, Delay = at });
    }

    /// <summary>Puts a message the initial state has in flight at time 0, as <see cref="StartThread"/> does a thread's start.</summary>
    public void Post(byte src, byte dst, MessageKind kind, int loc) =>
        Enqueue(new Message { Src = src, Dst = dst, Kind = kind, Class = DelayClass.Fixed, Seq = _seq++, Loc = loc });

    /// <summary>
    /// Takes the next delivery. Timed: earliest time; among equals the lowest actor; among messages to one
    /// actor the strategy picks; a message a rule holds back waits for what it must follow, even past its time.
    /// Untimed: the strategy picks one of the enabled messages.
    /// </summary>
    public bool Next(out Message m)
    {
        if (_count == 0) { m = default; return false; }
        if (Untimed) return NextUntimed(out m);
        // Place keeps a message behind what was in flight when it was sent. Only a rule whose first message is sent after
        // the one it holds can hold it back later: a read choice (ReadChosenFirst) or a split RMW's write (WrittenFirst).
        Span<bool> held = _count <= 128 ? stackalloc bool[_count] : new bool[_count];
        while (true)
        {
            long t = long.MaxValue;
            int dst = int.MaxValue;
            int ties = 0;
            bool mayHold = false;
            for (int i = 0; i < _count; i++)
            {
                ref var p = ref _pending[i];
                mayHold |= p.Kind is MessageKind.ReadChoice or MessageKind.RmwWrite;
                if (held[i]) continue;
                if (p.Time < t || (p.Time == t && p.Dst < dst)) { t = p.Time; dst = p.Dst; ties = 1; }
                else if (p.Time == t && p.Dst == dst) ties++;
            }
            if (ties == 0) throw new InvalidOperationException("every message in flight is held back by another");
            if (mayHold)
                for (int i = 0; i < _count; i++)
                    if (_pending[i].Time == t && _pending[i].Dst == dst && !held[i] && Blocked(i)) { held[i] = true; ties--; }
            if (ties == 0) continue;
            int pick = ties == 1 ? 0 : (int)Rec(_strategy.Tie(ties));
            // The tied messages in send order; deliveries to different actors commute, so only these need a choice.
            int chosen = PickInSendOrder(t, dst, pick, held);
            m = _pending[chosen];
            Remove(chosen);
            if ((m.Order & Ordering.Alternative) != 0) DropAlternatives(m);
            // A message held back past its time goes when what it followed has gone: the clock does not run back.
            Now = Math.Max(Now, t);
            Steps++;
            return true;
        }
    }

    /// <summary>The index of the <paramref name="pick"/>-th (by send order) pending message due at t for dst and not <paramref name="held"/>.</summary>
    int PickInSendOrder(long t, int dst, int pick, ReadOnlySpan<bool> held)
    {
        int lastSeq = -1, at = -1;
        for (int n = 0; n <= pick; n++)
        {
            int best = int.MaxValue;
            for (int i = 0; i < _count; i++)
            {
                ref var p = ref _pending[i];
                if (p.Time == t && p.Dst == dst && p.Seq > lastSeq && p.Seq < best && !held[i]) { best = p.Seq; at = i; }
            }
            lastSeq = best;
        }
        return at;
    }

    readonly List<int> _enabled;

    bool NextUntimed(out Message m)
    {
        m = default;
        int n = Enabled(_enabled);
        if (n == 0) return false;
        int pick = n == 1 ? 0 : _strategy.Pick(n);
        if (pick < 0) { _stopped = true; return false; }
        if (n > 1) Rec(pick);
        m = Take(_enabled[pick]);
        return true;
    }

    /// <summary>
    /// Fills <paramref name="into"/> with the indices of the messages that may be delivered next, by source
    /// and send order: those no message in flight must precede; timeouts only when no other message is enabled. A
    /// <see cref="MessageKind.DeviceMark"/> goes alone, so that it and the SMMU's step that sent it act as one: it takes
    /// memory's newest write at the moment the SMMU answered a marked read (docs/model.md, "Memory model", readl's fence).
    /// </summary>
    public int Enabled(List<int> into)
    {
        into.Clear();
        bool timeouts = false;
        for (int i = 0; i < _count; i++)
        {
            if (_pending[i].Kind == MessageKind.DeviceMark)
            {
                into.Clear();
                into.Add(i);
                return 1;
            }
            if (Blocked(i)) continue;
            if (_pending[i].Class == DelayClass.Timeout) { timeouts = true; continue; }
            into.Add(i);
        }
        if (into.Count == 0 && timeouts)
            for (int i = 0; i < _count; i++)
                if (_pending[i].Class == DelayClass.Timeout && !Blocked(i)) into.Add(i);
        // By source, then send order: a function of what the state hash sees (each source's messages in
        // order), so a pick means the same message in every state the search merged with this one.
        for (int i = 1; i < into.Count; i++)
        {
            // Insertion sort: a handful of messages, and no comparison delegate allocated per state.
            int x = into[i], j = i - 1;
            for (; j >= 0 && SendsBefore(x, into[j]); j--) into[j + 1] = into[j];
            into[j + 1] = x;
        }
        return into.Count;
    }

    bool SendsBefore(int a, int b) =>
        _pending[a].Src != _pending[b].Src ? _pending[a].Src < _pending[b].Src : _pending[a].Seq < _pending[b].Seq;

    bool Blocked(int i)
    {
        ref var m = ref _pending[i];
        for (int j = 0; j < _count; j++)
            if (j != i && OrderingRules.MustPrecede(_pending[j], m)) return true;
        return false;
    }

    /// <summary>
    /// Removes pending message <paramref name="index"/> for delivery (untimed: one step of the clock). Untimed, a timeout
    /// fires only when nothing else can happen, and then every other pending timeout is due as well: it becomes
    /// <see cref="DelayClass.Expired"/>, free to fire at any later step, so the thread the first one freed may be as slow
    /// as it likes against the others' timeouts.
    /// </summary>
    public Message Take(int index)
    {
        var m = _pending[index];
        Remove(index);
        if ((m.Order & Ordering.Alternative) != 0) DropAlternatives(m);
        if (Untimed && m.Class == DelayClass.Timeout) Expire();
        // The source's later messages move up a rank.
        Forget(m.Src);
        Now++;
        Steps++;
        return m;
    }

    public Message Peek(int index) => _pending[index];

    void Expire()
    {
        for (int i = 0; i < _count; i++)
            if (_pending[i].Class == DelayClass.Timeout)
            {
                _pending[i].Class = DelayClass.Expired;
                _parts![i] = 0;
            }
    }

    /// <summary>
    /// The read choices of one load among <paramref name="enabled"/> (as sorted by <see cref="Enabled"/>, so they are
    /// adjacent), as the range [First, Last], or (-1, -1). A partial-order reduction may explore them alone: the writes
    /// the load may read were fixed when memory took it, and a choice changes only that thread's record in memory and
    /// answers the thread, so which write it reads matters, not when it is chosen. A compare-and-swap's <c>PerformNow</c>
    /// choice does depend on when (it reads the newest write then), but choosing it later is the CAS arriving later,
    /// which the search explores on its own.
    /// </summary>
    public (int First, int Last) ReadChoices(List<int> enabled)
    {
        for (int k = 0; k < enabled.Count; k++)
        {
            ref var m = ref _pending[enabled[k]];
            if (m.Kind != MessageKind.ReadChoice) continue;
            int last = k;
            while (last + 1 < enabled.Count && _pending[enabled[last + 1]] is { Kind: MessageKind.ReadChoice } n && n.B == m.B && n.C == m.C) last++;
            return (k, last);
        }
        return (-1, -1);
    }

    /// <summary>The load's other possible replies: it read the write <paramref name="chosen"/> carries, not theirs.</summary>
    void DropAlternatives(in Message chosen)
    {
        for (int i = _count - 1; i >= 0; i--)
            if ((_pending[i].Order & Ordering.Alternative) != 0 && _pending[i].Kind == chosen.Kind && _pending[i].Src == chosen.Src
                && _pending[i].Dst == chosen.Dst && _pending[i].B == chosen.B && _pending[i].C == chosen.C)
                Remove(i);
    }

    /// <summary>True when every other message in flight to the same actor as message <paramref name="index"/> is a timeout.</summary>
    public bool OnlyTimeoutsBesides(int index)
    {
        byte dst = _pending[index].Dst;
        for (int j = 0; j < _count; j++)
            if (j != index && _pending[j].Dst == dst && _pending[j].Class != DelayClass.Timeout) return false;
        return true;
    }

    long Rec(long v)
    {
        _choices?.Add(v);
        return v;
    }

    /// <summary>Records the delivery of <paramref name="m"/> and puts what its handler sent in flight.</summary>
    public void Accept(in Message m, ReadOnlySpan<Message> sent, List<ModelEvent> events, ReadOnlySpan<Control> controls)
    {
        Record(m, events);
        int c = 0;
        for (int i = 0; i <= sent.Length; i++)
        {
            // Control operations act between the sends they were issued between.
            for (; c < controls.Length && controls[c].Before == i; c++) Apply(m.Dst, controls[c]);
            if (i == sent.Length) break;
            var s = sent[i];
            Send(ref s);
        }
    }

    void Apply(byte src, in Control c)
    {
        if (c.Kind == ControlKind.StoreFence)
        {
            // A new array, not a write in place: clones share it (Clone).
            _fences = ArrayCopy.Of(_fences);
            _fences[src]++;
            Forget(src);
        }
        else if (c.Kind == ControlKind.CancelTimer) Cancel(src, c.Operand);
        else if (c.Kind == ControlKind.Withdraw) DropSpin((byte)c.Operand, src);
    }

    /// <summary>
    /// A withdrawn spin's messages still on their way go with it. Its answer from <paramref name="holder"/>: an expired
    /// timeout may fire after the holder answered, and untimed the thread's block id does not move, so the late answer
    /// would pass for one to the thread's next block. Its request, in a timed run, where a delay may outlast the timeout:
    /// taken by the holder later, it would start a spin the thread has given up, on what the thread armed for its next
    /// spin there (<c>WriteHistory.SpinStarts</c>).
    /// </summary>
    void DropSpin(byte holder, byte waiter)
    {
        for (int i = _count - 1; i >= 0; i--)
        {
            ref var p = ref _pending[i];
            if (p.Kind == MessageKind.WaitReply && p.Src == holder && p.Dst == waiter
                || p.Kind == MessageKind.Wait && p.Src == waiter && p.Dst == holder)
            {
                byte src = p.Src;
                Remove(i);
                Forget(src);
            }
        }
    }

    void Send(ref Message s)
    {
        s.Seq = _seq++;
        s.SendTime = Now;
        s.Fence = _fences[s.Src];
        if (Untimed)
        {
            // Order, not time, is what the search explores: the delay is nominal.
            s.Delay = 1;
            s.Time = Now + 1;
        }
        else
        {
            long delay = s.Class is DelayClass.Fixed or DelayClass.Timeout ? s.Delay : PinnedDelay(s) ?? Rec(_strategy.Delay(s, s.Class));
            s.Delay = Math.Max(1, delay);
            s.Time = OrderingRules.Place(s, Now + s.Delay, _pending.AsSpan(0, _count));
        }
        Enqueue(s);
    }

    void Cancel(byte owner, long c)
    {
        for (int i = 0; i < _count; i++)
            if (_pending[i].Kind == MessageKind.Timer && _pending[i].Dst == owner && _pending[i].C == c)
            {
                byte src = _pending[i].Src;
                Remove(i);
                Forget(src);
                return;
            }
    }

    long? PinnedDelay(in Message s)
    {
        if (_pins.Count == 0) return null;
        string? key = null;
        for (int i = 0; i < _pins.Count; i++)
        {
            var p = _pins[i];
            if (p.Source != s.Src) continue;
            key ??= _pinKey!(s);
            if (key != p.Message) continue;
            if (++_pinCount[i] == p.Nth) return p.Delay;
        }
        return null;
    }

    void Enqueue(in Message m)
    {
        if (_count == _pending.Length)
        {
            Array.Resize(ref _pending, _count * 2);
            if (_parts is not null) Array.Resize(ref _parts, _count * 2);
        }
        if (_parts is not null) _parts[_count] = 0;
        _pending[_count++] = m;
    }

    /// <summary>Removes pending message <paramref name="i"/>: the last takes its place.</summary>
    void Remove(int i)
    {
        _pending[i] = _pending[--_count];
        if (_parts is not null) _parts[i] = _parts[_count];
    }

    /// <summary>The hash parts of <paramref name="src"/>'s messages are stale: its rank order or its fence count changed.</summary>
    void Forget(byte src)
    {
        if (_parts is null) return;
        for (int i = 0; i < _count; i++)
            if (_pending[i].Src == src) _parts[i] = 0;
    }

    void Record(in Message m, List<ModelEvent> events)
    {
        if (!_traced) return;
        // A local copy stays in registers; the field would be loaded and stored at every step of the chain.
        var t = _trace;
        t.Add(m.Time); t.Add(m.SendTime); t.Add(m.Src); t.Add(m.Dst); t.Add((long)m.Kind);
        t.Add(m.Loc); t.Add(m.A); t.Add(m.B);
        for (int i = 0; i < events.Count; i++)
        {
            var e = events[i];
            t.Add(1000 + (long)e.Kind); t.Add(e.Actor); t.Add(e.A); t.Add(e.B);
        }
        _trace = t;
        Log?.Add(Steps, AsDelivered(m), events);
    }

    /// <summary>
    /// <paramref name="m"/> as what shows a run (its log, its trace's spans) sees it. Untimed, a message's time is nominal
    /// (its send time + 1) and it may be delivered any number of steps later: it is shown at the step it was delivered
    /// at, which is also the send time of what its receiver sent then, so rows read in delivery order and each
    /// message's sender is found by time (<c>SenderRows</c>). The trace hash keeps the nominal time.
    /// </summary>
    public Message AsDelivered(in Message m)
    {
        var shown = m;
        if (Untimed) shown.Time = Now;
        return shown;
    }

    public string TraceHash => _trace.Hex;

    /// <summary>
    /// What is in flight, for state hashing. Timed: an order-independent sum with times relative to now.
    /// Untimed: what the rules can see, each source's messages in send order with their fence count
    /// relative to the source's own; the order between sources does not matter to any rule.
    /// </summary>
    public void HashInFlight(ref StateHasher h)
    {
        ulong sum = 0;
        for (int i = 0; i < _count; i++)
        {
            if (_parts is null) { sum += Part(i, _pending[i].Time - Now); continue; }
            ulong part = _parts[i];
            if (part == 0) _parts[i] = part = Part(i, SourceRank(i));
            sum += part;
        }
        h.Add(_count);
        h.Add((long)sum);
    }

    /// <summary>Message <paramref name="i"/>'s part of <see cref="HashInFlight"/>, at <paramref name="place"/>: its rank among its source's messages (untimed) or its time from now.</summary>
    ulong Part(int i, long place)
    {
        ref var p = ref _pending[i];
        var mh = new StateHasher(7);
        mh.AddToFirst(_fences[p.Src] - p.Fence);
        mh.AddToFirst(place);
        // The one-byte fields in one word: fewer words to mix per message.
        mh.AddToFirst(p.Src | (long)p.Dst << 8 | (long)p.Kind << 16 | (long)p.Class << 24 | (long)p.Order << 32 | (long)p.Releases << 40 | (p.Marked ? 1L << 56 : 0));
        mh.AddToFirst(p.Loc); mh.AddToFirst(p.A); mh.AddToFirst(p.B); mh.AddToFirst(p.C); mh.AddToFirst(p.View); mh.AddToFirst(p.Own);
        return mh.First;
    }

    /// <summary>How many in-flight messages of the same source were sent before message <paramref name="i"/>.</summary>
    int SourceRank(int i)
    {
        int rank = 0;
        for (int j = 0; j < _count; j++)
            if (_pending[j].Src == _pending[i].Src && _pending[j].Seq < _pending[i].Seq) rank++;
        return rank;
    }

    /// <summary>
    /// Makes this fabric what <see cref="Clone"/> of <paramref name="o"/> would be, in this object and its arrays: the
    /// search builds each branch in a spare and allocates only for the branches that reach a new state.
    /// </summary>
    public void CopyFrom(Fabric o)
    {
        if (!ReferenceEquals(_strategy, o._strategy) || !ReferenceEquals(_pins, o._pins))
            throw new InvalidOperationException("a fabric copies only a fabric of the same run");
        if (_pending.Length < o._count + 2)
        {
            _pending = new Message[o._count + 2];
            if (_parts is not null) _parts = new ulong[o._count + 2];
        }
        Array.Copy(o._pending, _pending, o._count);
        if (_parts is not null) Array.Copy(o._parts!, _parts, o._count);
        _count = o._count;
        // A clone owns its pin counts unless there are none.
        if (_pinCount.Length > 0) Array.Copy(o._pinCount, _pinCount, _pinCount.Length);
        _fences = o._fences;
        _choices = null;
        _seq = o._seq;
        _trace = o._trace;
        _traced = false;
        _stopped = o._stopped;
        Now = o.Now;
        Steps = o.Steps;
        Log = null;
    }

    /// <summary>A copy that goes on independently (the search branches from it); traces and choices are not carried.</summary>
    public Fabric Clone()
    {
        // Room for what is in flight and the delivery's sends (it takes one message, and few send more than two): an
        // occasional resize costs less than copying spare room with every state (2 spare slots, not 4: 1,686 bytes a state
        // instead of 1,770 on full-queue under recheck-mb).
        var pending = new Message[_count + 2];
        Array.Copy(_pending, pending, _count);
        return new Fabric(this, pending);
    }

    /// <summary>
    /// <see cref="Clone"/>'s copy of <paramref name="o"/>, with <paramref name="pending"/> for its messages in flight (why
    /// not MemberwiseClone: <see cref="ArrayCopy"/>).
    /// </summary>
    Fabric(Fabric o, Message[] pending)
    {
        _strategy = o._strategy;
        _pins = o._pins;
        _pinKey = o._pinKey;
        _pinCount = o._pinCount.Length == 0 ? o._pinCount : ArrayCopy.Of(o._pinCount);
        _fences = o._fences;
        _pending = pending;
        if (o._parts is not null)
        {
            _parts = new ulong[pending.Length];
            Array.Copy(o._parts, _parts, o._count);
        }
        _count = o._count;
        _seq = o._seq;
        _trace = o._trace;
        _stopped = o._stopped;
        Now = o.Now;
        Steps = o.Steps;
        Untimed = o.Untimed;
        _enabled = o._enabled;
    }
}

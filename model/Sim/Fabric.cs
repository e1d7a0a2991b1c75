namespace SmmuActors.Model.Sim;

/// <summary>
/// The interconnect of one scenario: the virtual clock, the messages in flight, the ordering the
/// architecture keeps (per source and location coherence, barriers, dma_wmb), and the record of
/// every delivery. Engines ask it for the next message, deliver it however they host the
/// component, and hand back what the component sent and reported.
/// </summary>
public sealed class Fabric
{
    readonly IStrategy _strategy;
    readonly IReadOnlyList<Pin> _pins;
    readonly Func<Message, string>? _pinKey;
    readonly OrderingRules _rules;
    readonly int[] _pinCount;
    readonly ChoiceLog? _choices;
    Message[] _pending = new Message[16];
    int _count;
    int _seq;
    StateHasher _trace = new(0x5EED);

    public long Now { get; private set; }
    public long Steps { get; private set; }
    public int Pending => _count;
    public TraceLog? Log { get; }

    public Fabric(int actors, int memoryLocations, IStrategy strategy, IReadOnlyList<Pin> pins, Func<Message, string>? pinKey, bool recordTrace, bool recordChoices)
    {
        _rules = new OrderingRules(actors, memoryLocations);
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
        long at = menu.Count == 1 ? menu[0] : Rec(_strategy.Start(thread, menu));
        Enqueue(new Message { Src = actor, Dst = actor, Kind = MessageKind.Start, Class = DelayClass.Fixed, Seq = _seq++, SendTime = 0, Time = at, Delay = at });
    }

    /// <summary>Takes the next delivery: earliest time; among equals the lowest actor; among messages to one actor the strategy picks.</summary>
    public bool Next(out Message m)
    {
        if (_count == 0) { m = default; return false; }
        long t = long.MaxValue;
        int dst = int.MaxValue;
        int ties = 0;
        for (int i = 0; i < _count; i++)
        {
            ref var p = ref _pending[i];
            if (p.Time < t || (p.Time == t && p.Dst < dst)) { t = p.Time; dst = p.Dst; ties = 1; }
            else if (p.Time == t && p.Dst == dst) ties++;
        }
        int pick = ties == 1 ? 0 : (int)Rec(_strategy.Tie(ties));
        // The tied messages in send order; deliveries to different actors commute, so only these need a choice.
        int chosen = PickInSendOrder(t, dst, pick);
        m = _pending[chosen];
        _pending[chosen] = _pending[--_count];
        Now = t;
        Steps++;
        return true;
    }

    /// <summary>The index of the <paramref name="pick"/>-th (by send order) pending message due at t for dst.</summary>
    int PickInSendOrder(long t, int dst, int pick)
    {
        int lastSeq = -1, at = -1;
        for (int n = 0; n <= pick; n++)
        {
            int best = int.MaxValue;
            for (int i = 0; i < _count; i++)
            {
                ref var p = ref _pending[i];
                if (p.Time == t && p.Dst == dst && p.Seq > lastSeq && p.Seq < best) { best = p.Seq; at = i; }
            }
            lastSeq = best;
        }
        return at;
    }

    long Rec(long v)
    {
        _choices?.Add(v);
        return v;
    }

    /// <summary>Records the delivery of <paramref name="m"/> and puts what its handler sent in flight.</summary>
    public void Accept(in Message m, List<Message> sent, List<ModelEvent> events, List<Control> controls)
    {
        Record(m, events);
        int c = 0;
        for (int i = 0; i <= sent.Count; i++)
        {
            // Control operations act between the sends they were issued between.
            for (; c < controls.Count && controls[c].Before == i; c++) Apply(m.Dst, controls[c]);
            if (i == sent.Count) break;
            var s = sent[i];
            Send(ref s);
        }
    }

    void Apply(byte src, in Control c)
    {
        if (c.Kind == ControlKind.StoreFence) _rules.StoreFence(src);
        else Cancel(src, c.Timer);
    }

    void Send(ref Message s)
    {
        s.Seq = _seq++;
        s.SendTime = Now;
        long delay = s.Class == DelayClass.Fixed ? s.Delay : PinnedDelay(s) ?? Rec(_strategy.Delay(s, s.Class));
        s.Delay = Math.Max(1, delay);
        long t = Now + s.Delay;
        if (s.Kind != MessageKind.Timer) t = _rules.Place(s, t);
        s.Time = t;
        Enqueue(s);
    }

    void Cancel(byte owner, long c)
    {
        for (int i = 0; i < _count; i++)
            if (_pending[i].Kind == MessageKind.Timer && _pending[i].Dst == owner && _pending[i].C == c)
            {
                _pending[i] = _pending[--_count];
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
        if (_count == _pending.Length) Array.Resize(ref _pending, _count * 2);
        _pending[_count++] = m;
    }

    void Record(in Message m, List<ModelEvent> events)
    {
        _trace.Add(m.Time); _trace.Add(m.SendTime); _trace.Add(m.Src); _trace.Add(m.Dst); _trace.Add((long)m.Kind);
        _trace.Add(m.Loc); _trace.Add(m.A); _trace.Add(m.B);
        for (int i = 0; i < events.Count; i++)
        {
            var e = events[i];
            _trace.Add(1000 + (long)e.Kind); _trace.Add(e.Actor); _trace.Add(e.A); _trace.Add(e.B);
        }
        Log?.Add(Steps, m, events);
    }

    public string TraceHash => _trace.Hex;

    /// <summary>Order-independent hash of what is in flight, with times relative to now, plus each source's dma_wmb floor.</summary>
    public void HashInFlight(ref StateHasher h)
    {
        ulong sum = 0;
        for (int i = 0; i < _count; i++)
        {
            ref var p = ref _pending[i];
            var mh = new StateHasher(7);
            mh.Add(p.Time - Now); mh.Add(p.Src); mh.Add(p.Dst); mh.Add((long)p.Kind); mh.Add(p.Loc); mh.Add(p.A); mh.Add(p.B); mh.Add(p.C);
            sum += mh.Value.Item1;
        }
        h.Add(_count);
        h.Add((long)sum);
        _rules.Hash(ref h, Now);
    }
}

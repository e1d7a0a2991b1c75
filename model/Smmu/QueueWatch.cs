using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// The protocol facts a reader wants beside each delivery (llq prod and cons, STOP, OWNED, SMMUEN),
/// followed from the deliveries alone so it works on any engine: applying each llq access where memory performs
/// it (<see cref="LlqAccess"/>), in delivery order, mirrors the word exactly.
/// </summary>
public sealed class QueueWatch
{
    long _llq;

    public bool SmmuEn { get; private set; } = true;
    public uint Prod => (uint)_llq;
    public uint Cons => (uint)(_llq >> 32);
    public bool Stop => ProdWord.IsStop(Prod);
    public bool Owned => ProdWord.IsOwned(Prod);

    /// <summary>Folds in one delivery; true when STOP or SMMUEN changed.</summary>
    public bool Apply(in Message m, IReadOnlyList<ModelEvent> events)
    {
        bool stop = Stop, en = SmmuEn;
        if (LlqAccess.Performed(m, events, out var access)) _llq = WordUpdate.Apply(access, _llq);
        for (int i = 0; i < events.Count; i++)
            if (events[i].Kind() == EventKind.SmmuEnable) SmmuEn = events[i].A != 0;
        return stop != Stop || en != SmmuEn;
    }


    /// <summary>"prod 2/w0 cons 0/w0 STOP" in the queue's own terms.</summary>
    public string Describe(ProdWord q) =>
        $"prod {q.Position(Prod)} cons {q.Position(Cons)}{(Stop ? " STOP" : "")}{(Owned ? " OWNED" : "")} SMMUEN={(SmmuEn ? 1 : 0)}";
}

using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// The access to llq memory performed at a delivery, for observers that follow the word from the deliveries alone
/// (<see cref="Oracle"/>, <see cref="QueueWatch"/>): the delivered access itself, except a CAS that may read an older
/// write under loads=armv8, which memory performs at its read choice (or never, if it reads an older write and fails).
/// Under rmw-write=split an RMW is applied here where it reads: no other write reaches the word until its write lands
/// (<see cref="OrderingRules.WrittenFirst"/>), and that write (<see cref="MessageKind.RmwWrite"/>) changes nothing here.
/// </summary>
public static class LlqAccess
{
    /// <summary>False when the delivery does nothing to llq; otherwise <paramref name="access"/> is what to apply (<see cref="WordUpdate"/>).</summary>
    public static bool Performed(in Message m, IReadOnlyList<ModelEvent> events, out Message access)
    {
        access = m;
        bool atLlq = m.Dst == Layout.MemoryActor && m.Loc == Layout.Llq;
        if (!atLlq || events.Count == 0) return atLlq;
        for (int i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Kind() == EventKind.LlqCasDeferred) return false;
            if (e.Kind() == EventKind.LlqCasPerformed)
            {
                access = new Message { Src = (byte)e.C, Dst = Layout.MemoryActor, Kind = MessageKind.Cas, Loc = Layout.Llq, A = e.A, B = e.B };
                return true;
            }
        }
        return true;
    }
}

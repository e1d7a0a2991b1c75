namespace SmmuActors.Model.Exploration;

/// <summary>
/// One transition of the state graph: from and to which state, the thread whose wait its delivery ends by the wait's
/// answer (<paramref name="Completes"/>) and the one whose wait it ends by that thread's own timeout
/// (<paramref name="TimesOut"/>), -1 for none, and its pick among the <paramref name="Choices"/> deliveries enabled at
/// its source. Sixteen bytes: a graph holds tens of millions of them, and every pass over the finished graph reads them.
/// </summary>
readonly record struct GraphEdge(int From, int To, sbyte Completes, sbyte TimesOut, ushort Pick, ushort Choices);

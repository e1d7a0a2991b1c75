namespace SmmuActors.Model.Sim;

/// <summary>
/// A copy of an array, for what the search copies at every delivery. Array.Clone allocates through the runtime, as
/// MemberwiseClone does: 64 against 11 ns for eight longs in a micro-benchmark here, where a new array and a block copy
/// take the JIT's inline allocation.
/// </summary>
public static class ArrayCopy
{
    public static T[] Of<T>(T[] a) => a.AsSpan().ToArray();
}

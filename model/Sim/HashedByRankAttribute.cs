namespace SmmuActors.Model.Sim;

/// <summary>
/// Marks a stamp-valued field of <see cref="WriteHistory"/> that is hashed by its rank among the writes a plain
/// load may still read, not by its value: changing it by one often leaves the rank, and so the hash, unchanged,
/// which is the point (states that differ only in unobservable timing merge). The hash-coverage test checks these
/// fields separately, by moving them across a readable write.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class HashedByRankAttribute : Attribute;

namespace SmmuActors.Model.Sim;

/// <summary>A component that keeps, per thread, records of its past accesses that decide what its later ones may read.</summary>
public interface IRecordHolder
{
    /// <summary><paramref name="thread"/>'s program ended: its records are dropped (<see cref="ControlKind.Retire"/>).</summary>
    void Retire(byte thread);
}

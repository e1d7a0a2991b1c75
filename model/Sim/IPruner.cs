namespace SmmuActors.Model.Sim;

/// <summary>Decides whether a run can stop because its state was explored already (exhaustive search).</summary>
public interface IPruner
{
    bool Prune(IComponent[] components, Execution run);
}

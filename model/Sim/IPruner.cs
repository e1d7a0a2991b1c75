namespace SmmuActors.Model.Sim;

/// <summary>Decides whether a run can stop: its state was explored already (exhaustive search), or the user stopped (<see cref="EndWhenStopped"/>).</summary>
public interface IPruner
{
    bool Prune(IComponent[] components, Execution run);
}

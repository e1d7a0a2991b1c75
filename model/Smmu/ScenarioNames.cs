
using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>The human names of a scenario's actors, IOVAs and variables, for traces and violations.</summary>
public sealed class ScenarioNames(IReadOnlyList<string> threads, IReadOnlyList<string> iovas, IReadOnlyList<string> vars)
{
    public IReadOnlyList<string> Threads => threads;
    public IReadOnlyList<string> Iovas => iovas;
    public IReadOnlyList<string> Vars => vars;

    public string Thread(int t) => threads[t];
    public string Iova(int i) => iovas[i];
    public string Var(int v) => vars[v];

    public string Actor(int actor) => actor switch
    {
        Layout.MemoryActor => "memory",
        Layout.SmmuActor => "smmu",
        _ => threads[actor - Layout.FirstThread],
    };

    public int ActorId(string name) => name switch
    {
        "memory" => Layout.MemoryActor,
        "smmu" => Layout.SmmuActor,
        _ => threads.ToList().IndexOf(name) is var i and >= 0 ? Layout.FirstThread + i : -1,
    };
}

using SmmuActors.Contracts;
namespace SmmuActors.Grains.Execution;

/// <summary>
/// A component grain was asked to continue a run it has not seen from the start (its activation was
/// lost and replaced mid-run, or a delivery came twice). The run's result would be wrong, so the run
/// fails; an OrleansException, so a campaign re-runs the batch as it would after a lost silo.
/// </summary>
[GenerateSerializer, Alias("smmu.component-lost")]
public sealed class ComponentLostException(string message) : OrleansException(message);

using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>
/// Names the run a delivery belongs to. A component grain starts from its initial state whenever
/// the run changes, so one grain serves every run of its lane without a reset call or a new activation.
/// Immutable: within a silo it is passed by reference, so the scenario is never copied per delivery.
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.run-ticket")]
public sealed record RunTicket(Guid Run, ScenarioSpec Scenario);

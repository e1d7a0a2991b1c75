using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>
/// Names the batch of runs a call's deliveries belong to. A component grain starts every run of the
/// batch from its initial state whenever the batch changes, so one grain serves every batch of its lane
/// without a reset call or a new activation. Immutable: within a silo it is passed by reference, so the
/// scenario is never copied per call.
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.batch-ticket")]
public sealed record BatchTicket(Guid Batch, ScenarioSpec Scenario, int Runs);

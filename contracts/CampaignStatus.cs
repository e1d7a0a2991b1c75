using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>
/// A campaign's progress: runs done and what they found so far, batches re-run after a lost silo,
/// batches per silo (the spread), and once finished the merged result. Not started means the
/// campaign grain knows no campaign (it was never started, or its activation was lost: with its silo,
/// or with the silo that held its grain-directory entry). Restarts counts how often the client had to
/// start it again; the campaign grain itself always reports 0. Resumes counts the activations that carried
/// the campaign on from its stored state after losing the one running it. Cancelled: stopped by its submitter,
/// and finished with the batches merged until then as its result.
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.campaign-status")]
public sealed record CampaignStatus(
    bool Started, long Done, long Total, long Violations, long Steps, int Lanes, int Batches, int Reruns,
    Dictionary<string, int> BatchesBySilo, bool Finished, string? Error, BatchResult? Result, int Restarts = 0, int Resumes = 0, bool Cancelled = false);

using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Grains.Campaign;

/// <summary>
/// What a campaign stores after every merged batch. Merged and Total are written together, so a batch
/// is either in both or in neither: a new activation re-runs exactly the batches not merged, and every
/// run is counted once. Attempts counts dispatches per batch (those after the last write can be lost
/// with a silo, so re-runs are a lower bound).
/// </summary>
[GenerateSerializer, Alias("smmu.campaign-state")]
public sealed class CampaignState
{
    [Id(0)] public CampaignSpec? Spec { get; set; }
    [Id(1)] public DateTime Submitted { get; set; }
    [Id(2)] public int Lanes { get; set; }
    [Id(3)] public long BatchSize { get; set; }
    [Id(4)] public bool[] Merged { get; set; } = [];
    [Id(5)] public int[] Attempts { get; set; } = [];
    [Id(6)] public BatchResult Total { get; set; } = new();
    [Id(7)] public Dictionary<string, int> BatchesBySilo { get; set; } = new();
    [Id(8)] public Counterexample[] Counterexamples { get; set; } = [];
    [Id(9)] public string? Error { get; set; }
    [Id(10)] public bool Finished { get; set; }
    [Id(11)] public int Resumes { get; set; }
    [Id(12)] public bool Cancelled { get; set; }

    public int Reruns => Attempts.Sum(a => Math.Max(0, a - 1));
}

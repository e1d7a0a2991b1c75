using SmmuActors.Contracts;
using SmmuActors.Grains.Hosting;

namespace SmmuActors.Grains.Campaign;

/// <summary>Every campaign of the cluster, in campaign storage; calls are not interleaved, so each write sees the last.</summary>
public sealed class CampaignIndexGrain([PersistentState("index", CampaignStorage.Name)] IPersistentState<CampaignIndexState> stored)
    : Grain, ICampaignIndexGrain
{
    List<CampaignEntry> Entries => stored.State.Entries;

    public async Task Add(CampaignEntry entry)
    {
        int i = Entries.FindIndex(e => e.Id == entry.Id);
        if (i >= 0 && !Entries[i].Finished) return;
        if (i >= 0) Entries[i] = Entries[i] with { Finished = false, FinishedAt = null };
        else Entries.Add(entry);
        await stored.WriteStateAsync();
    }

    public async Task MarkFinished(Guid id)
    {
        int i = Entries.FindIndex(e => e.Id == id);
        if (i < 0 || Entries[i].Finished) return;
        Entries[i] = Entries[i] with { Finished = true, FinishedAt = DateTime.UtcNow };
        await stored.WriteStateAsync();
    }

    public async Task Remove(Guid id)
    {
        if (Entries.RemoveAll(e => e.Id == id) > 0) await stored.WriteStateAsync();
    }

    public Task<CampaignEntry[]> List() => Task.FromResult(Entries.ToArray());
}

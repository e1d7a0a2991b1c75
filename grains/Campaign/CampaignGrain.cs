using Microsoft.Extensions.Logging;
using SmmuActors.Contracts;
using SmmuActors.Grains.Execution;
using SmmuActors.Grains.Placement;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Campaign;

/// <summary>
/// Cuts a campaign into batches and keeps every lane busy until all are merged. A batch whose call
/// fails with its silo is queued again and re-run by seed; a batch is merged at most once, so every
/// run counts exactly once and the result equals an undisturbed campaign's.
/// </summary>
[OldestSiloPlacement]
[CollectionAgeLimit(Minutes = 10)]
public sealed class CampaignGrain(ILogger<CampaignGrain> log) : Grain, ICampaignGrain
{
    /// <summary>Enough tries to outlast failure detection (a few seconds on the local cluster) with margin.</summary>
    const int MaxAttempts = 40;

    readonly Queue<int> _queue = new();
    readonly BatchResult _total = new();
    readonly Dictionary<string, int> _bySilo = new();
    readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    CampaignSpec? _spec;
    CampaignPlan? _plan;
    bool[] _merged = [];
    int[] _attempts = [];
    int _lanes, _reruns;
    long _violations;
    string? _error;
    Task? _work;

    public async Task Start(CampaignSpec spec)
    {
        if (_spec is not null) return;
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        _lanes = spec.Lanes > 0 ? spec.Lanes : Math.Max(1, hosts.Count) * Environment.ProcessorCount;
        _plan = CampaignPlan.For(spec.Runs, _lanes, spec.BatchSize);
        _merged = new bool[_plan.Batches];
        _attempts = new int[_plan.Batches];
        for (int b = 0; b < _plan.Batches; b++) _queue.Enqueue(b);
        _spec = spec;
        // Runs on this activation's scheduler between requests, so Poll sees the totals without locks.
        _work = Work();
    }

    public async Task<CampaignStatus> Poll(TimeSpan wait)
    {
        if (_work is not null && !_finished.Task.IsCompleted) await Task.WhenAny(_finished.Task, Task.Delay(wait));
        bool finished = _finished.Task.IsCompleted;
        return new CampaignStatus(_spec is not null, _total.Runs, _spec?.Runs ?? 0, _violations, _total.Steps, _lanes,
            _plan?.Batches ?? 0, _reruns, new(_bySilo), finished, _error, finished && _error is null ? _total : null);
    }

    public Task Cancel()
    {
        _queue.Clear();
        _error ??= "cancelled";
        return Task.CompletedTask;
    }

    public Task Close()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    async Task Work()
    {
        var group = this.GetPrimaryKey().ToString("N");
        var lanes = Enumerable.Range(0, _lanes).Select(i => GrainFactory.GetGrain<IFabricGrain>(i, group)).ToArray();
        try
        {
            await Task.WhenAll(lanes.Select(Lane));
            if (_error is null && _total.Runs != _spec!.Runs)
                _error = $"campaign accounted for {_total.Runs} runs of {_spec.Runs}";
        }
        catch (Exception e)
        {
            _error ??= e.Message;
            log.LogError(e, "campaign {Campaign} failed", group);
        }
        _finished.TrySetResult();
        try { await Task.WhenAll(lanes.Select(l => l.Retire())); }
        catch (Exception e) when (Transient(e)) { log.LogInformation("a lane could not be retired: {Reason}", e.Message); }
    }

    async Task Lane(IFabricGrain lane)
    {
        while (_queue.TryDequeue(out int b))
        {
            var (from, to) = _plan!.Range(b);
            try
            {
                Merge(b, await lane.RunBatch(_spec!.Scenario, _spec.Seed, from, to));
            }
            catch (Exception e) when (Transient(e) && ++_attempts[b] < MaxAttempts)
            {
                // The lane's silo is gone or going: once membership drops it, the same lane key is placed on a live silo.
                log.LogWarning("batch {Batch} (runs {From}-{To}) lost: {Reason}; re-running it", b, from, to - 1, e.Message);
                _reruns++;
                if (_error is null) _queue.Enqueue(b);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 << Math.Min(_attempts[b], 5))));
            }
        }
    }

    void Merge(int batch, LaneBatch r)
    {
        if (_merged[batch]) return;
        _merged[batch] = true;
        _total.Merge(r.Result);
        _violations += r.Result.ViolationsByKind.Values.Sum();
        _bySilo[r.Silo] = _bySilo.GetValueOrDefault(r.Silo) + 1;
    }

    static bool Transient(Exception e) => e is OrleansException or TimeoutException;
}

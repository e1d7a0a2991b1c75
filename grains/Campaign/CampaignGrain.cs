using Microsoft.Extensions.Logging;
using Orleans.Storage;
using SmmuActors.Contracts;
using SmmuActors.Grains.Hosting;
using SmmuActors.Grains.Placement;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Grains.Campaign;

/// <summary>
/// Cuts a campaign into batches and keeps every lane busy until all are merged. A batch whose call
/// fails with its silo is queued again and re-run by seed; a batch is merged at most once, and stored
/// with the merged result, so every run counts exactly once and the result equals an undisturbed
/// campaign's. An activation that finds an unfinished campaign in storage carries it on: after the loss
/// of its silo, of every silo, or of Redis for a while.
/// </summary>
[OldestSiloPlacement]
[CollectionAgeLimit(Minutes = 10)]
public sealed class CampaignGrain(
    [PersistentState("campaign", CampaignStorage.Name)] IPersistentState<CampaignState> stored,
    ILogger<CampaignGrain> log) : Grain, ICampaignGrain
{
    static readonly TimeSpan WriteRetry = TimeSpan.FromSeconds(1);

    readonly Queue<int> _queue = new();
    readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Lanes merge between each other's awaits; one write at a time keeps the stored etag in step.
    readonly SemaphoreSlim _writing = new(1, 1);
    // Cancels the batches in flight (and the shrink), on a cancel or as the activation goes: each lane stops within one
    // run, so no silo stays busy for a campaign nobody carries on.
    readonly CancellationTokenSource _cancel = new();
    CampaignPlan? _plan;
    int[] _tries = [];
    // When each batch's current run of failures began (0: it has not failed).
    long[] _failingSince = [];
    bool _dirty, _superseded;
    // Deactivated before the campaign finished: the next activation carries it on, this one only stores what it merged.
    bool _leaving;

    /// <summary>
    /// Merged batches are stored at most this often, and once more at the end. Each write is the whole record, whose
    /// batch map grows with the campaign, so a write per batch made the storage traffic grow with the square of the
    /// batches (600 MB into Redis for 12,000). A batch merged but not yet stored when this activation is lost is run
    /// again by the next, from a record that counts neither it nor its runs.
    /// </summary>
    static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(1);
    long _lastWrite;
    Task? _work;

    CampaignState State => stored.State;

    ICampaignIndexGrain Index => GrainFactory.GetGrain<ICampaignIndexGrain>(0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Spec is null) return Task.CompletedTask;
        if (State.Finished) _finished.TrySetResult();
        else
        {
            State.Resumes++;
            log.LogWarning("campaign {Campaign} resumed at {Done} of {Runs} runs", this.GetPrimaryKey(), State.Total.Runs, State.Spec.Runs);
            Begin();
        }
        return Task.CompletedTask;
    }

    public async Task Start(CampaignSpec spec)
    {
        if (State.Spec is not null) return;
        int lanes = spec.Lanes > 0 ? spec.Lanes : await ClusterWorkers.ForActiveSilosAsync(GrainFactory);
        var plan = CampaignPlan.For(spec.Runs, lanes, spec.BatchSize);
        State.Spec = spec;
        State.Submitted = DateTime.UtcNow;
        State.Lanes = lanes;
        State.BatchSize = plan.BatchSize;
        State.Merged = new bool[plan.Batches];
        State.Attempts = new int[plan.Batches];
        try
        {
            await stored.WriteStateAsync();
        }
        catch
        {
            // Not stored, not started: a Start again begins afresh rather than finding a spec and returning.
            State.Spec = null;
            throw;
        }
        var model = spec.Scenario.Build();
        try
        {
            await Index.Add(new CampaignEntry(this.GetPrimaryKey(), State.Submitted, model.Workload.Name, model.Variant.Preset, spec.Seed, spec.Runs, false));
        }
        catch (Exception e) when (SiloLossRetry.Transient(e))
        {
            // Stored, so it runs and its caller can follow it; unlisted, the keeper will not resume it should its silo go.
            log.LogWarning("campaign {Campaign} not listed in the index ({Reason}): it runs, but is not resumed if its silo is lost", this.GetPrimaryKey(), e.Message);
        }
        Begin();
    }

    /// <summary>
    /// The keeper's call for a campaign the index lists open. A record lost with its silo (memory storage) leaves an
    /// activation with no spec, which nothing can carry on: it is taken off the open list, so the keeper does not
    /// activate it every pass for ever; a submitter that starts it again from its copy opens it again (Index.Add).
    /// </summary>
    public Task Resume() => State.Finished || State.Spec is null ? Index.MarkFinished(this.GetPrimaryKey()) : Task.CompletedTask;

    public async Task<CampaignStatus> Poll(TimeSpan wait)
    {
        if (_work is not null && !_finished.Task.IsCompleted) await Task.WhenAny(_finished.Task, Task.Delay(wait));
        bool finished = _finished.Task.IsCompleted;
        var s = State;
        return new CampaignStatus(s.Spec is not null, s.Total.Runs, s.Spec?.Runs ?? 0, s.Total.ViolationsByKind.Values.Sum(), s.Total.Steps, s.Lanes,
            s.Merged.Length, s.Reruns, new(s.BatchesBySilo), finished, s.Error, finished && s.Error is null ? s.Total : null, Resumes: s.Resumes,
            Cancelled: s.Cancelled);
    }

    public Task<Counterexample[]> Counterexamples() => Task.FromResult(State.Counterexamples);

    public Task<CampaignSpec?> Spec() => Task.FromResult(State.Spec);

    /// <summary>
    /// Stored before it returns, so a silo lost before the campaign stores its end leaves a record the next activation
    /// finishes as cancelled, with the batches merged so far, instead of running the rest.
    /// </summary>
    public async Task Cancel()
    {
        if (State.Finished) return;
        _queue.Clear();
        State.Cancelled = true;
        _cancel.Cancel();
        // Asked while the start is still under way (it may not have the spec yet: it first counts the silos' workers):
        // its work, which finds nothing to run, stores the cancel.
        if (_work is null) return;
        _dirty = true;
        await Persist();
    }

    public async Task<bool> Forget()
    {
        if (State.Spec is not null && !State.Finished) return false;
        if (stored.RecordExists) await stored.ClearStateAsync();
        await Index.Remove(this.GetPrimaryKey());
        DeactivateOnIdle();
        return true;
    }

    public Task Close()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Deactivated before the campaign finished (its silo shutting down gracefully, or Orleans collecting it): stops the
    /// lanes and the shrink and stores what was merged, without waiting for them, so the next activation (a poll's or the
    /// keeper's) carries on from there. Past this, Orleans refuses the activation its state, so nothing of it can be
    /// written over the next one's record; a batch cancelled mid-way is run again by the next.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_work is null || _finished.Task.IsCompleted) return;
        _leaving = true;
        _queue.Clear();
        _cancel.Cancel();
        log.LogInformation("campaign {Campaign} deactivated at {Done} of {Runs} runs ({Reason}); the next activation carries it on",
            this.GetPrimaryKey(), State.Total.Runs, State.Spec!.Runs, reason);
        try
        {
            await Persist().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            log.LogWarning("campaign {Campaign} not stored as it was deactivated: the next activation runs its last batches again", this.GetPrimaryKey());
        }
        _superseded = true;
    }

    void Begin()
    {
        _plan = new CampaignPlan(State.Spec!.Runs, State.BatchSize);
        _tries = new int[_plan.Batches];
        _failingSince = new long[_plan.Batches];
        for (int b = 0; b < _plan.Batches; b++)
            if (!State.Merged[b] && !State.Cancelled) _queue.Enqueue(b);
        // Runs on this activation's scheduler between requests, so Poll sees the totals without locks.
        _work = Work();
    }

    async Task Work()
    {
        var id = this.GetPrimaryKey();
        var lanes = Enumerable.Range(0, State.Lanes).Select(i => GrainFactory.GetGrain<IFabricGrain>(i, id.ToString("N"))).ToArray();
        try
        {
            await Task.WhenAll(lanes.Select(Lane));
            if (_superseded || _leaving) return;
            if (State.Error is null && !State.Cancelled && State.Total.Runs != State.Spec!.Runs)
                State.Error = $"campaign accounted for {State.Total.Runs} runs of {State.Spec.Runs}";
            if (State.Error is null && !State.Cancelled && State.Spec!.Investigate)
            {
                var found = await Investigate();
                // A shrink stopped as the activation went is done again, whole, by the next.
                if (_leaving) return;
                State.Counterexamples = found;
            }
        }
        catch (Exception) when (_leaving)
        {
            // Whatever failed as the activation went, the next one carries the campaign on.
            return;
        }
        catch (Exception e)
        {
            State.Error ??= e.Message;
            log.LogError(e, "campaign {Campaign} failed", id);
        }
        State.Finished = true;
        _dirty = true;
        await Persist();
        // Leaving, the record is stored finished: the keeper's Resume reaches the next activation, which lists it finished.
        if (_superseded || _leaving) return;
        _finished.TrySetResult();
        try
        {
            await Index.MarkFinished(id);
            await Task.WhenAll(lanes.Select(l => l.Retire()));
        }
        // The keeper calls Resume while the index still lists the campaign open, which marks it again.
        catch (Exception e) when (SiloLossRetry.Transient(e)) { log.LogInformation("campaign {Campaign}: index or lanes not updated: {Reason}", id, e.Message); }
    }

    async Task Lane(IFabricGrain lane)
    {
        while (!_superseded && !_leaving && _queue.TryDequeue(out int b))
        {
            var (from, to) = _plan!.Range(b);
            State.Attempts[b]++;
            LaneBatch r;
            try
            {
                r = await lane.RunBatch(State.Spec!.Scenario, State.Spec.Seed, from, to, _cancel.Token);
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!_leaving && SiloLossRetry.Transient(e) && SiloLossRetry.StillTrying(ref _failingSince[b]))
            {
                _tries[b]++;
                // The lane's silo is gone or going: once membership drops it, the same lane key is placed on a live silo.
                log.LogWarning("batch {Batch} (runs {From}-{To}) lost: {Reason}; re-running it", b, from, to - 1, e.Message);
                if (State.Error is null && !State.Cancelled) _queue.Enqueue(b);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 << Math.Min(_tries[b], 5))));
                continue;
            }
            // Deactivated while the batch ran: it is not merged, and the next activation runs it.
            if (_leaving) return;
            Merge(b, r);
            // Written beside the lanes, not awaited: storage away (Redis restarting, or memory storage lost with its
            // silo) stalled every lane behind the write, and a lane stalled past the death of its own silo moved to a
            // live one without its loss ever showing (a batch in flight re-run), which a kill -9 test once saw.
            // One write at a time, and once: the merges made while it is under way wait for the next lane to find one due.
            if (Environment.TickCount64 - _lastWrite >= WriteEvery.TotalMilliseconds && _writing.CurrentCount > 0) _ = Persist(once: true);
        }
    }

    void Merge(int batch, LaneBatch r)
    {
        if (State.Merged[batch]) return;
        State.Merged[batch] = true;
        State.Total.Merge(r.Result);
        State.BatchesBySilo[r.Silo] = State.BatchesBySilo.GetValueOrDefault(r.Silo) + 1;
        _dirty = true;
    }

    /// <summary>
    /// Writes until what is in memory is stored, or, <paramref name="once"/>, until one write succeeds: the lanes' writes,
    /// which would otherwise follow one another for as long as batches merge during each (a record that grows with the
    /// campaign takes longer to write), and the storage traffic would again grow with the square of the batches.
    /// Storage away (Redis restarting) is waited out, while the lanes go on. A newer
    /// activation having written first (a stale directory entry let two exist) means this one is stale:
    /// it stops and leaves; the keeper's next call reaches the live one.
    /// </summary>
    async Task Persist(bool once = false)
    {
        await _writing.WaitAsync();
        try
        {
            while (_dirty && !_superseded)
            {
                _dirty = false;
                try
                {
                    await stored.WriteStateAsync();
                    _lastWrite = Environment.TickCount64;
                    if (once) break;
                }
                catch (InconsistentStateException e)
                {
                    log.LogWarning("campaign {Campaign} was carried on elsewhere; this activation stops: {Reason}", this.GetPrimaryKey(), e.Message);
                    _superseded = true;
                    _queue.Clear();
                    DeactivateOnIdle();
                }
                catch (Exception e)
                {
                    log.LogWarning("campaign {Campaign} not stored yet, retrying: {Reason}", this.GetPrimaryKey(), e.Message);
                    _dirty = true;
                    await Task.Delay(WriteRetry);
                }
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>
    /// Shrinks each kind's witness in a silo (see <see cref="IInvestigationGrain"/>), retried like a batch if that silo goes.
    /// A cancel stops the shrink under way, which keeps the smallest run found so far, and the kinds after it.
    /// </summary>
    async Task<Counterexample[]> Investigate()
    {
        var found = new List<Counterexample>();
        foreach (var witness in State.Total.Witnesses.Values.OrderBy(w => w.Kind).TakeWhile(_ => !_cancel.IsCancellationRequested))
            for (long failingSince = 0; ;)
            {
                var investigation = GrainFactory.GetGrain<IInvestigationGrain>(Guid.NewGuid());
                try
                {
                    using (_cancel.Token.Register(() => investigation.Stop()))
                        found.Add(await investigation.Investigate(State.Spec!.Scenario, StrategyKind.Random, State.Spec.Seed, witness));
                    break;
                }
                catch (Exception e) when (SiloLossRetry.Transient(e) && SiloLossRetry.StillTrying(ref failingSince))
                {
                    log.LogWarning("investigating {Kind} failed: {Reason}; trying again", witness.Kind, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
        return found.ToArray();
    }

}

using System.CommandLine;
using SmmuActors.Client.Engines;
using SmmuActors.Client.Rendering;
using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Reports;
using Orleans.Runtime;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>
/// `campaign status|wait|results|cancel|forget ID`: reattach to a campaign from any client, while it runs or after
/// every silo restarted; results are read from the campaign's stored state, counterexamples included.
/// </summary>
public static class CampaignCommand
{
    public static Command Create() => new("campaign", "follow a campaign by the id explore --detach printed")
    {
        Status(), Wait(), Results(), Cancel(), Forget(),
    };

    static Command Forget()
    {
        var (id, cluster) = (Id(), new ClusterInput());
        var cmd = new Command("forget", "drop a finished campaign's record and its line in 'campaigns' (silos do so by themselves after --campaign-retention)")
        {
            id, cluster.Gateways, cluster.Redis,
        };
        cmd.SetAction(async (pr, cancel) =>
        {
            var guid = CampaignAccess.ParseId(pr.GetValue(id)!);
            var where = cluster.Read(pr);
            await using var connection = await CampaignAccess.ConnectAsync(where, cancel);
            var campaign = connection.Client.GetGrain<ICampaignGrain>(guid);
            var s = await campaign.Poll(TimeSpan.Zero).WaitAsync(cancel);
            // An entry whose record was lost with its silo (memory storage) is forgotten too: it is listed, with nothing to show.
            bool listed = (await connection.Client.GetGrain<ICampaignIndexGrain>(0).List().WaitAsync(cancel)).Any(e => e.Id == guid);
            if (!s.Started && !listed) throw new InputException($"ID: no campaign {CampaignAccess.Show(guid)} in this cluster");
            if (!await campaign.Forget().WaitAsync(cancel))
                throw new InputException($"ID: campaign {CampaignAccess.Show(guid)} is {CampaignAccess.StillGoing(s.Done, s.Total)}; "
                    + $"stop it first with: smmu-actors campaign cancel {CampaignAccess.Show(guid)}{where.Options}");
            AnsiConsole.MarkupLineInterpolated($"campaign [bold]{CampaignAccess.Show(guid)}[/] forgotten");
            return 0;
        });
        return cmd;
    }

    static Command Cancel()
    {
        var (id, cluster) = (Id(), new ClusterInput());
        var cmd = new Command("cancel", "stop a running campaign: its lanes stop within a run, and its result keeps the batches merged so far")
        {
            id, cluster.Gateways, cluster.Redis,
        };
        cmd.SetAction(async (pr, cancel) =>
        {
            var guid = CampaignAccess.ParseId(pr.GetValue(id)!);
            await using var connection = await CampaignAccess.ConnectAsync(cluster.Read(pr), cancel);
            var s = CampaignAccess.Existing(guid, await connection.Client.GetGrain<ICampaignGrain>(guid).Poll(TimeSpan.Zero).WaitAsync(cancel));
            if (!s.Finished) s = await GrainCampaignRunner.CancelAsync(connection.Client, guid);
            // Said, not left to the status to show: a user who cancels expects to have stopped something.
            else Console.Error.WriteLine($"campaign {CampaignAccess.Show(guid)} had already ended{(s.Cancelled ? " (cancelled)" : "")}: nothing to cancel");
            Write(guid, s);
            return 0;
        });
        return cmd;
    }

    static Command Status()
    {
        var (id, cluster) = (Id(), new ClusterInput());
        var cmd = new Command("status", "the campaign's progress now") { id, cluster.Gateways, cluster.Redis };
        cmd.SetAction(async (pr, cancel) =>
        {
            var guid = CampaignAccess.ParseId(pr.GetValue(id)!);
            await using var connection = await CampaignAccess.ConnectAsync(cluster.Read(pr), cancel);
            var s = CampaignAccess.Existing(guid, await connection.Client.GetGrain<ICampaignGrain>(guid).Poll(TimeSpan.Zero).WaitAsync(cancel));
            Write(guid, s);
            return 0;
        });
        return cmd;
    }

    /// <summary>How long a stopped `wait` asks the campaign for its counts before it says what it knows: stops end within a second.</summary>
    static readonly TimeSpan StopBound = TimeSpan.FromMilliseconds(500);

    static Command Wait()
    {
        var (id, cluster) = (Id(), new ClusterInput());
        var cmd = new Command("wait", "wait until the campaign finishes; exit 1 if it found a violation, 3 if it was cancelled") { id, cluster.Gateways, cluster.Redis };
        cmd.SetAction(async (pr, cancel) =>
        {
            var guid = CampaignAccess.ParseId(pr.GetValue(id)!);
            var where = cluster.Read(pr);
            await using var connection = await CampaignAccess.ConnectAsync(where, cancel);
            var campaign = connection.Client.GetGrain<ICampaignGrain>(guid);
            var now = CampaignAccess.Existing(guid, await campaign.Poll(TimeSpan.Zero).WaitAsync(cancel));
            try
            {
                var s = await ProgressDisplay.RunAsync($"waiting for campaign {CampaignAccess.Show(guid)}", now.Total, null,
                    p => GrainCampaignRunner.FollowAsync(connection.Client, guid, null, p, null, cancel));
                Write(guid, s);
                return ExitCode(s);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // Only the waiting stops: the campaign is the cluster's, and `wait` never asked to cancel it.
                string done = "";
                try
                {
                    now = await campaign.Poll(TimeSpan.Zero).WaitAsync(StopBound);
                    done = $" ({now.Done:N0} of {Plural.Count(now.Total, "run")} done)";
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    // Stopping is what was asked: without the counts, the line still says what to do next.
                }
                string shown = CampaignAccess.Show(guid);
                AnsiConsole.MarkupLineInterpolated($"[yellow]INCOMPLETE: stopped waiting[/]; campaign {shown} goes on in the cluster{done}");
                Console.Error.WriteLine($"'smmu-actors campaign wait {shown}{where.Options}' follows it again; 'smmu-actors campaign cancel {shown}{where.Options}' stops it");
                return Cli.Incomplete;
            }
        });
        return cmd;
    }

    static Command Results()
    {
        var (id, cluster) = (Id(), new ClusterInput());
        var json = ScenarioInput.Json();
        var outDir = new Option<string>("--out")
        {
            Description = "directory for the campaign's counterexample files",
            DefaultValueFactory = _ => "counterexamples",
        };
        var cmd = new Command("results", "a finished campaign's violations and counterexamples; exit 1 if it found a violation, 3 if it was cancelled")
        {
            id, json, outDir, cluster.Gateways, cluster.Redis,
        };
        cmd.SetAction(async (pr, cancel) =>
        {
            var guid = CampaignAccess.ParseId(pr.GetValue(id)!);
            var where = cluster.Read(pr);
            await using var connection = await CampaignAccess.ConnectAsync(where, cancel);
            var campaign = connection.Client.GetGrain<ICampaignGrain>(guid);
            var s = CampaignAccess.Existing(guid, await campaign.Poll(TimeSpan.Zero).WaitAsync(cancel));
            if (s.Error is not null) throw new InputException($"ID: campaign {CampaignAccess.Show(guid)} failed: {s.Error}");
            if (!s.Finished) throw new InputException($"ID: campaign {CampaignAccess.Show(guid)} has not finished ({s.Done:N0} of {Plural.Count(s.Total, "run")}); wait with: smmu-actors campaign wait {CampaignAccess.Show(guid)}{where.Options}");
            var found = (await campaign.Counterexamples().WaitAsync(cancel)).ToList();
            // The cluster shrinks only a campaign submitted with --detach that ran to its end: another's submitter shrinks
            // it, unless it lost its gateway first, and a cancelled one is shrunk by no one. Their witnesses are in the
            // result: shrunk here, as explore would, and a stop saves the smallest run found so far and the rest unshrunk.
            var unshrunk = (s.Result?.Witnesses.Values.AsEnumerable() ?? []).Where(w => found.All(cx => cx.Kind != Naming.Kebab(w.Kind))).OrderBy(w => w.Kind).ToList();
            if (unshrunk.Count > 0)
            {
                var spec = await campaign.Spec().WaitAsync(cancel) ?? throw new InvalidOperationException("a finished campaign without its spec");
                string why = s.Cancelled ? "the campaign was cancelled before it was shrunk" : "its submitter, which shrinks it, left first";
                var here = new LocalEngineHost();
                foreach (var (witness, i) in unshrunk.Select((w, i) => (w, i + 1)))
                {
                    Console.Error.WriteLine(Finding.ShrinkLine(witness, i, unshrunk.Count, cancel.IsCancellationRequested, why));
                    found.Add(await here.InvestigateAsync(spec.Scenario, StrategyKind.Random, spec.Seed, witness, cancel));
                }
            }
            var saved = found.Select(cx => Save(cx, pr.GetValue(outDir)!, cancel)).ToList();
            string verdict = Verdict(s);
            AnsiConsole.MarkupLineInterpolated($"[{VerdictWords.Color(verdict)} bold]{verdict}[/]");
            Write(guid, s);
            foreach (var f in saved)
                SummaryView.Saved(AnsiConsole.Console, $"{f.Counterexample.Kind}: run {f.Counterexample.RunIndex}, {Plural.Count(f.Counterexample.Steps, "step")}",
                    f.File, f.Written.Chart, f.ReplayCommand, f.NotSaved, f.ChartNotSaved);
            JsonOut.Write(pr.GetValue(json), Json(guid, s, saved));
            return Finding.ReportNotSaved(saved) ? Cli.BadInput : ExitCode(s);
        });
        return cmd;
    }

    /// <summary>
    /// As explore's: a cancelled campaign's answer was cut short by a user, violations found or not, so it is incomplete;
    /// else 1 for a violation.
    /// </summary>
    static int ExitCode(CampaignStatus s) => s.Cancelled ? Cli.Incomplete : s.Violations > 0 ? 1 : 0;

    static Argument<string> Id() => new("ID") { Description = "the campaign id explore --detach printed" };

    /// <summary>
    /// Saves the counterexample and, as explore does, its sequence chart beside it (replayed here, on the local engine);
    /// after a stop, the counterexample alone.
    /// </summary>
    static Finding Save(Counterexample cx, string dir, CancellationToken cancel)
    {
        var model = cx.Spec.Build();
        string file = Path.Combine(dir, Counterexample.FileName(model.Variant, cx.Workload, cx.Kind));
        var replay = cancel.IsCancellationRequested ? null : Counterexample.Replay(model, cx.Choices, cx.Untimed, cx.Kind, recordTrace: true, pruner: new EndWhenStopped(cancel));
        if (replay is { Pruned: true }) replay = null;
        return new Finding(cx, model, replay, file, Path.ChangeExtension(file, ".svg"), Finding.ReplayCommandFor(file), null).Save();
    }

    static void Write(Guid id, CampaignStatus s)
    {
        string state = s.Cancelled ? "cancelled" : s.Finished ? "finished" : "running";
        AnsiConsole.MarkupLineInterpolated($"campaign [bold]{CampaignAccess.Show(id)}[/]: {state}, {s.Done:N0} of {Plural.Count(s.Total, "run")}, {Plural.Count(s.Violations, "violation")}");
        AnsiConsole.MarkupLineInterpolated($"  {Plural.Count(s.Batches, "batch", "batches")} on {Plural.Count(s.Lanes, "lane")}, {s.Reruns} re-run, resumed {Plural.Count(s.Resumes, "time")}; by silo: {PlacementView.PerSilo(s.BatchesBySilo)}");
        if (s.Result is { } r)
            foreach (var (kind, n) in r.ViolationsByKind.OrderBy(p => p.Key))
                AnsiConsole.MarkupLineInterpolated($"  {SmmuActors.Model.Sim.Naming.Kebab(kind)}: {Plural.Count(n, "execution")}");
    }

    static string Verdict(CampaignStatus s) =>
        VerdictWords.OfCampaign(s.Result!.ViolationsByKind.Keys.Select(k => Naming.Kebab(k)).ToList(), s.Done, s.Total, s.Cancelled, s.Result.Truncated);

    static Dictionary<string, object?> Json(Guid id, CampaignStatus s, List<Finding> saved) => new()
    {
        ["id"] = CampaignAccess.Show(id),
        // The console's words, so a script reads the answer as it reads explore's.
        ["verdict"] = Verdict(s),
        ["runs"] = s.Done,
        ["total"] = s.Total,
        ["cancelled"] = s.Cancelled,
        ["steps"] = s.Steps,
        ["violationsByKind"] = JsonOut.ByKey(s.Result!.ViolationsByKind.Select(p => KeyValuePair.Create(SmmuActors.Model.Sim.Naming.Kebab(p.Key), p.Value))),
        ["outcomes"] = JsonOut.ByKey(s.Result.Outcomes),
        ["batches"] = s.Batches,
        ["reruns"] = s.Reruns,
        ["resumes"] = s.Resumes,
        ["batchesBySilo"] = s.BatchesBySilo,
        // As explore's: where each was saved, its chart, and the command that replays it.
        ["counterexamples"] = saved.Select(f => new
        {
            kind = f.Counterexample.Kind, runIndex = f.Counterexample.RunIndex, traceHash = f.Counterexample.TraceHash, steps = f.Counterexample.Steps,
            file = f.Written.File, chart = f.Written.Chart, replay = f.Written.Replay, notSaved = f.NotSaved, chartNotSaved = f.ChartNotSaved,
        }).ToList(),
    };
}

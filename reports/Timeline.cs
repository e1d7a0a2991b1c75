using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Reports;

/// <summary>One delivery of a recorded run, in words: who sent what to whom, when, and what followed from it.</summary>
public sealed record TimelineRow(long Step, long Time, string From, string To, string Message, string Sent, IReadOnlyList<string> Events, IReadOnlyList<string> Violations);

/// <summary>A run's deliveries, one row each, for the console and the HTML report alike.</summary>
public static class Timeline
{
    public static IEnumerable<TimelineRow> Rows(ScenarioModel model, RunResult run, bool showBranches = false)
    {
        var names = model.Names;
        var violationsAt = run.Violations.ToLookup(v => v.Step);
        foreach (var entry in run.Trace!.Entries)
        {
            var m = entry.Message;
            yield return new TimelineRow(entry.Step, m.Time, names.Actor(m.Src), names.Actor(m.Dst), MessageNames.Describe(model.Layout, names, m),
                m.Kind == MessageKind.Start ? "" : $"sent t={m.SendTime} +{m.Time - m.SendTime}",
                entry.Events.Where(e => showBranches || e.Kind() != EventKind.Branch).Select(e => EventText.Describe(model, e)).ToList(),
                violationsAt[entry.Step].Select(v => $"{v.KindName}: {v.Detail}").ToList());
        }
    }
}

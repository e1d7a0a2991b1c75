using System.CommandLine;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>`workloads`: the shipped scenarios and what each exercises, so a user can pick one for --workload.</summary>
public static class WorkloadsCommand
{
    public static Command Create()
    {
        var dir = new Option<string>("--dir")
        {
            Description = "directory of workload JSON files (scenarios/workload.schema.json describes their fields)",
            DefaultValueFactory = _ => "scenarios",
        };
        var json = ScenarioInput.Json();
        var cmd = new Command("workloads", "list the workloads in scenarios/ with their descriptions") { dir, json };
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(dir)!;
            InputException.ThrowIfEmpty(path, "--dir");
            // The schema sits beside the workloads but is not one.
            var files = InputFile.List(path, "*.json", reason => new InputException($"--dir: {path}: {reason}")).Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            // Loading each one checks it as --workload would, so a broken file is reported here, not on first use.
            Workload[] workloads;
            try { workloads = files.Select(WorkloadLoader.LoadFile).ToArray(); }
            catch (WorkloadException e) { throw new InputException(e.Message); }
            var table = new Table().Title($"workloads in {Markup.Escape(path)} (--workload FILE)")
                .AddColumns(new TableColumn("file").NoWrap(), new TableColumn("name").NoWrap(), new TableColumn("threads").RightAligned(),
                    new TableColumn("queue").RightAligned(), new TableColumn("description"));
            for (int i = 0; i < files.Count; i++)
            {
                var w = workloads[i];
                table.AddRow(Markup.Escape(files[i]), Markup.Escape(w.Name), w.Threads.Count.ToString(), (1 << w.QueueShift).ToString(),
                    Markup.Escape(w.Description.Length == 0 ? "-" : w.Description));
            }
            AnsiConsole.Write(table);
            JsonOut.Write(pr.GetValue(json), files.Select((f, i) => new
            {
                file = f, name = workloads[i].Name, description = workloads[i].Description,
                threads = workloads[i].Threads.Count, queueEntries = 1 << workloads[i].QueueShift,
            }));
            return 0;
        });
        return cmd;
    }
}

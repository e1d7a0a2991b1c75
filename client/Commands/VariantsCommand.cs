using SmmuActors.Model.Sim;
using System.CommandLine;
using SmmuActors.Model.Smmu;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>`variants`: the presets and every switch, so a user can compose one that has no preset.</summary>
public static class VariantsCommand
{
    public static Command Create()
    {
        var json = ScenarioInput.Json();
        var cmd = new Command("variants", "list the variant presets and the switches they are built from") { json };
        cmd.SetAction(pr =>
        {
            // Names and values never wrap (a switch broken mid-word cannot be copied); descriptions wrap at spaces.
            var presets = new Table().Title("presets (as-posted plus overrides)")
                .AddColumns(new TableColumn("preset").NoWrap(), new TableColumn("overrides").NoWrap(), new TableColumn("what it models"));
            foreach (var (name, description, overrides) in Variants.Presets)
                presets.AddRow(Markup.Escape(name), Markup.Escape(overrides.Length == 0 ? "-" : string.Join("\n", overrides)), Markup.Escape(description));
            AnsiConsole.Write(presets);
            var switches = new Table().Title("switches (--set NAME=VALUE)")
                .AddColumns(new TableColumn("switch").NoWrap(), new TableColumn("values").NoWrap(), new TableColumn("as-posted").NoWrap(), new TableColumn("meaning"));
            foreach (var s in Variants.Switches)
                switches.AddRow(Markup.Escape(s.Name), Markup.Escape(string.Join("|", s.Values)), Markup.Escape(s.Get(Variant.AsPosted)), Markup.Escape(s.Description));
            AnsiConsole.Write(switches);
            JsonOut.Write(pr.GetValue(json), new
            {
                presets = Variants.Presets.Select(p => new { name = p.Name, description = p.Description, overrides = p.Overrides }),
                switches = Variants.Switches.Select(s => new { name = s.Name, values = s.Values, asPosted = s.Get(Variant.AsPosted), description = s.Description }),
            });
            return 0;
        });
        return cmd;
    }
}

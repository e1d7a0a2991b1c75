using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Litmus;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using SmmuActors.Grains.Hosting;
using SmmuActors.Reports;
using Spectre.Console;

namespace SmmuActors.Client;

/// <summary>Parses and runs a command; turns bad input into its reason and exit code 2.</summary>
public static partial class Cli
{
    public const int BadInput = 2;

    /// <summary>A bound or the user stopped the work before it finished: see <see cref="StopSignals"/>.</summary>
    public const int Incomplete = 3;

    /// <summary>SmmuActors itself failed (a bug, not a verdict): <see cref="ModelFaultException"/> or any exception no input explains.</summary>
    public const int InternalError = 4;

    /// <summary>Which clusters outlive the silo a client lost: one kept in Redis while any silo lives; a local one only its secondaries.</summary>
    const string PrimaryNote = "in a --cluster of local silos, while instance 0, the primary, lives: that cluster does not outlive it";

    /// <summary>Options naming a file or a directory the command writes, checked before it does any work.</summary>
    static readonly Dictionary<string, Action<string?, string>> Outputs = new()
    {
        ["--json"] = OutputPaths.CheckFile,
        ["--out"] = OutputPaths.CheckDirectory,
        ["--report"] = OutputPaths.CheckDirectory,
    };

    /// <summary>Options naming files the command reads, whose defaults are read too though no token names them.</summary>
    static readonly HashSet<string> DefaultedInputs = ["--workload", "--workloads", "--search"];

    /// <summary>Options naming a directory whose JSON files the command reads (`workloads --dir`), by default too.</summary>
    static readonly HashSet<string> InputDirectories = ["--dir"];

    static void CheckOutputs(ParseResult parsed)
    {
        var arguments = parsed.Tokens.Select(t => t.Value).ToList();
        // `explore --json scenarios/reviewer-race.json` overwrote the default workload it had just read.
        foreach (var option in parsed.CommandResult.Command.Options)
            if (DefaultedInputs.Contains(option.Name) && parsed.GetResult(option) is null or { Implicit: true })
                arguments.AddRange(option switch
                {
                    Option<string> one => [parsed.GetValue(one)!],
                    Option<string[]> many => parsed.GetValue(many) ?? [],
                    _ => [],
                });
        // `workloads --json scenarios/storm.json` overwrote the workload it had just listed.
        foreach (var option in parsed.CommandResult.Command.Options)
            if (InputDirectories.Contains(option.Name) && parsed.GetValue<string?>(option.Name) is { Length: > 0 } dir && Directory.Exists(dir))
            {
                arguments.AddRange(InputFile.List(dir, "*.json", reason => new InputException($"{option.Name}: {dir}: {reason}")));
                if (parsed.CommandResult.Command.Options.Any(o => o.Name == "--json"))
                    OutputPaths.CheckNotInInputDirectory(parsed.GetValue<string?>("--json"), dir, option.Name);
            }
        foreach (var option in parsed.CommandResult.Command.Options)
            if (Outputs.TryGetValue(option.Name, out var check))
            {
                string? path = parsed.GetValue<string?>(option.Name);
                check(path, option.Name);
                if (option.Name == "--json") OutputPaths.CheckNotAnInput(path, option.Name, arguments);
            }
        var options = parsed.CommandResult.Command.Options.Select(o => o.Name).ToHashSet();
        string? Value(string name) => options.Contains(name) ? parsed.GetValue<string?>(name) : null;
        OutputPaths.CheckApart(Value("--json"), Value("--out"), Value("--report"));
        OutputPaths.CheckNoInputWritten(Value("--out"), Value("--report"), arguments);
    }

    /// <summary>The option a value was refused for, when the message does not say ("Argument 'x' not recognized"), and one line.</summary>
    static string Named(ParseError e) =>
        e.SymbolResult is OptionResult o && !e.Message.Contains(o.Option.Name) ? $"{o.Option.Name}: " : "";

    /// <summary>One line, naming the kind of value wanted rather than a .NET type.</summary>
    static string Plain(string message) => ParseMessages.Plain(Regex.Replace(message, @":?\s*\n\s*", m => m.Value.StartsWith(':') ? ": " : ", "));

    public static async Task<int> InvokeAsync(RootCommand root, string[] args, CancellationToken stop)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) Console.Error.WriteLine($"error: {Named(e)}{Plain(e.Message)}");
            Console.Error.WriteLine("(see --help)");
            return BadInput;
        }
        try
        {
            CheckOutputs(parsed);
            // Signals are StopSignals' (the process's entry point owns them): System.CommandLine's own handling would
            // return 130 two seconds after the signal, whatever the command was doing.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, stop);
        }
        catch (Exception e) when (e is InputException or InputFileException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (LitmusException e)
        {
            // Already FILE:LINE: reason: 'construct', the form editors and compilers use.
            Console.Error.WriteLine(e.Message);
            return BadInput;
        }
        catch (OutputException e)
        {
            // After the work: what it printed stands, the file is not written (a full disk, a device that refuses it).
            Console.Error.WriteLine($"error: {e.Message}; nothing was written there");
            return BadInput;
        }
        catch (ReplayMismatchException e)
        {
            Console.Error.WriteLine($"error: the recorded choices do not fit this workload and variant: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // A command with no partial result to show: a start-up cut short, a run or replay stopped before it began, or one
            // whose silo did not hand back its cut run within the stop's grace.
            AnsiConsole.MarkupLine("[yellow]INCOMPLETE: cancelled[/] before anything finished");
            return Incomplete;
        }
        catch (Exception e) when (Engines.Causes.Within<Orleans.Runtime.Messaging.ConnectionFailedException>(e) is { } lost)
        {
            // The gateway the client was given died under it: not a bug, and the cluster's work may well go on without it.
            AnsiConsole.MarkupLineInterpolated($"[yellow]INCOMPLETE: lost the connection to the cluster[/] ({lost.Message})");
            var campaign = Engines.Causes.Within<Engines.CampaignLostException>(e);
            // What was done is known only as counts: the merged result, for a summary or --json, comes when the campaign ends.
            if (campaign?.Last is { } last)
                Console.Error.WriteLine($"when last heard from, campaign {campaign.Id:N} had done {last.Done:N0} of {Plural.Count(last.Total, "run")} " +
                                        $"and found {Plural.Count(last.Violations, "violation")}; its summary and counterexamples come from 'smmu-actors campaign results {campaign.Id:N}' once it ends");
            Console.Error.WriteLine(campaign is not null
                ? $"error: lost the connection to the cluster; campaign {campaign.Id:N} goes on while one of its silos lives ({PrimaryNote}): follow it with "
                  + $"'smmu-actors campaign status {campaign.Id:N}' or 'smmu-actors campaign wait {campaign.Id:N}' and a --cluster gateway that is up"
                : $"error: lost the connection to the cluster; a campaign submitted there goes on while one of its silos lives ({PrimaryNote}): "
                  + "'smmu-actors campaigns' with a --cluster gateway that is up lists it");
            return Incomplete;
        }
        catch (ModelFaultException e)
        {
            Console.Error.WriteLine($"internal error: the model failed in {e.Where}: {e.InnerException!.GetType().Name}: {e.InnerException.Message}");
            if (e.Reproduce is not null)
                Console.Error.WriteLine($"that run alone: smmu-actors run {e.Reproduce}, with this command's --workload, --variant and --set");
            return InternalFailure(e.InnerException);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            return InternalFailure(e);
        }
    }

    /// <summary>No verdict, and nothing written: the trace goes with the report a bug needs.</summary>
    static int InternalFailure(Exception e)
    {
        Console.Error.WriteLine("this is a bug in SmmuActors, not a verdict; please report it with the command and this output:");
        Console.Error.WriteLine(e.ToString());
        return InternalError;
    }
}

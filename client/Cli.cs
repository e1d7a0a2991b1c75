using System.CommandLine;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using Spectre.Console;

namespace SmmuActors.Client;

/// <summary>Parses and runs a command; turns bad input into its reason and exit code 2.</summary>
public static class Cli
{
    public const int BadInput = 2;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("(see --help)");
            return BadInput;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (InputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (ReplayMismatchException e)
        {
            Console.Error.WriteLine($"error: the recorded choices do not fit this workload and variant: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
    }
}

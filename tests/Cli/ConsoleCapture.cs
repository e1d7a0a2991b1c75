using SmmuActors.Client.Rendering;
using Spectre.Console;

namespace SmmuActors.Tests.Cli;

/// <summary>Captures what an in-process CLI run prints, as a pipe would see it (not a terminal); restores the console on dispose.</summary>
public sealed class ConsoleCapture : IDisposable
{
    readonly StringWriter _out = new(), _err = new();
    readonly TextWriter _oldOut = Console.Out, _oldErr = Console.Error;
    readonly IAnsiConsole _oldConsole = AnsiConsole.Console;

    public ConsoleCapture(string? columns = null)
    {
        Console.SetOut(_out);
        Console.SetError(_err);
        AnsiConsole.Console = ConsoleSetup.Create(_out, redirected: true, columns);
    }

    public string Out => _out.ToString();
    public string Err => _err.ToString();
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        Console.SetOut(_oldOut);
        Console.SetError(_oldErr);
        AnsiConsole.Console = _oldConsole;
    }
}

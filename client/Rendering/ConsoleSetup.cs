using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>
/// The console the commands write to. On a terminal it is as wide as the terminal; when stdout is
/// a pipe or a log (no width to fit) lines are never wrapped, so a replay command or a path stays on
/// one line and a table keeps its words whole; COLUMNS, when set, wins in both cases.
/// </summary>
public static class ConsoleSetup
{
    /// <summary>Wide enough that no line of ours wraps, narrow enough that Spectre's layout stays cheap.</summary>
    const int Unwrapped = 1000;

    public static IAnsiConsole Create(TextWriter output, bool redirected, string? columns)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (int.TryParse(columns, out int width) && width > 0) console.Profile.Width = width;
        else if (redirected) console.Profile.Width = Unwrapped;
        return console;
    }
}

using SmmuActors.Client;
using SmmuActors.Client.Rendering;
using Spectre.Console;

AnsiConsole.Console = ConsoleSetup.Create(Console.Out, Console.IsOutputRedirected, Environment.GetEnvironmentVariable("COLUMNS"));
return await CliApp.RunAsync(args);

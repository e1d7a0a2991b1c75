using SmmuActors.Grains.Hosting;
using SmmuActors.Client;
using SmmuActors.Client.Rendering;
using Spectre.Console;

InvariantNumbers.Use();
AnsiConsole.Console = ConsoleSetup.Create(Console.Out, Console.IsOutputRedirected, Environment.GetEnvironmentVariable("COLUMNS"));
using var signals = new StopSignals(Console.Error);
return await CliApp.RunAsync(args, signals.Token);

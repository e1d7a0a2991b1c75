using System.Diagnostics;
using SmmuActors.Client.Engines;

namespace SmmuActors.Tests.Support;

/// <summary>The built client run as its own process from the repository root, as a user runs it.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Errors)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Errors}";
    }

    public static Task<Result> RunAsync(CancellationToken cancel, params string[] args) => RunAsync(new Dictionary<string, string>(), cancel, args);

    /// <param name="environment">Added to the client's environment (e.g. a port offset).</param>
    public static Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancel, params string[] args) =>
        RunAsync(GrainSiloProcess.BuiltDll("client", "smmu-actors.dll"), TestPaths.RepoRoot, environment, cancel, args);

    /// <param name="dll">The client's dll, wherever it lies (e.g. a copy outside the repository, as an installed tool is).</param>
    public static Task<Result> RunAsync(string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancel, params string[] args) => RunAsync(dll, workingDirectory, environment, null, cancel, args);

    /// <param name="errorLine">Called with each line of standard error as it is written, for a test to act on one.</param>
    public static Task<Result> RunAsync(Action<string> errorLine, CancellationToken cancel, params string[] args) =>
        RunAsync(GrainSiloProcess.BuiltDll("client", "smmu-actors.dll"), TestPaths.RepoRoot, new Dictionary<string, string>(), errorLine, cancel, args);

    static async Task<Result> RunAsync(string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        Action<string>? errorLine, CancellationToken cancel, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var client = Process.Start(info)!;
        try
        {
            var output = client.StandardOutput.ReadToEndAsync(cancel);
            var errors = errorLine is null ? client.StandardError.ReadToEndAsync(cancel) : ReadLinesAsync(client.StandardError, errorLine, cancel);
            await client.WaitForExitAsync(cancel);
            return new Result(client.ExitCode, await output, await errors);
        }
        finally
        {
            if (!client.HasExited) client.Kill();
        }
    }

    static async Task<string> ReadLinesAsync(StreamReader reader, Action<string> line, CancellationToken cancel)
    {
        var all = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(cancel) is { } l)
        {
            all.AppendLine(l);
            line(l);
        }
        return all.ToString();
    }
}

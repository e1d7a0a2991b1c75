using System.Diagnostics;
using System.CommandLine;
using SmmuActors.Model.Litmus;

namespace SmmuActors.Client.Commands;

/// <summary>
/// `litmus FILE...`: reads herd7 AArch64 litmus tests, explores each exhaustively and prints herd7's
/// verdict block; with --expect, compares each verdict with a kinds file. Every file is read before
/// any is explored, so a test the tool cannot answer stops the command (exit 2) before any output.
/// The exploration is a parameter so the CLI tests can give the command runs of their own making
/// (an incomplete one, for exit 3) without depending on how long a real search takes.
/// </summary>
public static class LitmusCommand
{
    public const int Mismatch = 1, Incomplete = 3;

    public static Command Create(Func<LitmusTest, CancellationToken, LitmusRun> explore)
    {
        var files = new Argument<string[]>("files") { Description = "herd7 AArch64 litmus files (.litmus)", Arity = ArgumentArity.OneOrMore };
        var expect = new Option<string?>("--expect")
        {
            Description = "a herd-style kinds file (NAME Allowed|Forbidden|Required per line): exit 1 on any test whose verdict differs or that it does not list",
        };
        var json = ScenarioInput.Json();
        var cmd = new Command("litmus", "explore herd7 AArch64 litmus tests exhaustively under the Armv8 model and print herd7's verdicts")
        {
            files, expect, json,
        };
        // The work is synchronous; the action still takes the token so Ctrl+C stops the search.
        cmd.SetAction((pr, cancel) => Task.FromResult(Run(pr, cancel)));
        return cmd;

        int Run(ParseResult pr, CancellationToken cancel)
        {
            var paths = pr.GetValue(files)!;
            foreach (var p in paths.Where(p => !File.Exists(p))) throw new InputException($"{p}: no such litmus file");
            string? expectPath = pr.GetValue(expect);
            if (expectPath is not null && !File.Exists(expectPath)) throw new InputException($"--expect: {expectPath}: no such file");
            var tests = paths.Select(LitmusParser.ParseFile).ToList();
            var expected = expectPath is null ? null : ExpectedVerdicts.Load(expectPath);
            var mismatches = new List<VerdictMismatch>();
            var results = new List<object>();
            bool incomplete = false;
            foreach (var test in tests)
            {
                var clock = Stopwatch.StartNew();
                var run = explore(test, cancel);
                double seconds = clock.Elapsed.TotalSeconds;
                // Ctrl+C ends the command as every command ends (cancelled, 130), not as a bound reached.
                cancel.ThrowIfCancellationRequested();
                if (run.IncompleteReason is { } reason)
                {
                    incomplete = true;
                    Console.Out.WriteLine($"INCOMPLETE {test.Name} ({reason})");
                    Console.Out.WriteLine();
                    results.Add(new { name = test.Name, file = test.File, searchStates = run.States, seconds, incompleteReason = reason });
                    continue;
                }
                var verdict = LitmusVerdict.Of(test, run);
                foreach (var line in verdict.Block()) Console.Out.WriteLine(line);
                var mismatch = expected?.Compare(verdict);
                if (mismatch is not null) mismatches.Add(mismatch);
                results.Add(new
                {
                    name = test.Name, file = test.File, kind = verdict.Kind, ok = verdict.Ok, observation = verdict.Observation,
                    positive = verdict.Positive, negative = verdict.Negative, searchStates = run.States, seconds,
                    states = verdict.States.Select(s => LitmusText.State(test, s)).ToList(),
                    condition = LitmusText.Condition(test),
                    expected = expected is null ? null : mismatch is null ? "match" : mismatch.ToString(),
                });
            }
            foreach (var m in mismatches) Console.Out.WriteLine(m);
            if (expected is not null)
                Console.Out.WriteLine($"{tests.Count} test{(tests.Count == 1 ? "" : "s")} against {expectPath}: {mismatches.Count} mismatch{(mismatches.Count == 1 ? "" : "es")}");
            JsonOut.Write(pr.GetValue(json), results);
            return mismatches.Count > 0 ? Mismatch : incomplete ? Incomplete : 0;
        }
    }
}

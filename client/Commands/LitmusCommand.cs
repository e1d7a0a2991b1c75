using SmmuActors.Reports;
using SmmuActors.Client.Rendering;
using System.Diagnostics;
using System.CommandLine;
using SmmuActors.Model.Litmus;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client.Commands;

/// <summary>
/// `litmus FILE...`: reads herd7 AArch64 litmus tests, explores each exhaustively and prints herd7's
/// verdict block; with --expect, compares each verdict with a kinds file. Every file is read before
/// any is explored, so a test the tool cannot answer stops the command (exit 2) before any output, unless
/// --skip-unsupported says to report it and go on (running herd's catalogue, say).
/// The exploration is a parameter so the CLI tests can give the command runs of their own making
/// (an incomplete one, for exit 3) without depending on how long a real search takes.
/// </summary>
public static class LitmusCommand
{
    public const int Mismatch = 1, Incomplete = 3;

    /// <param name="explore">Explores a test with at most the given number of distinct states.</param>
    public static Command Create(Func<LitmusTest, long, CancellationToken, LitmusRun> explore)
    {
        var files = new Argument<string[]>("files") { Description = "herd7 AArch64 litmus files (.litmus)", Arity = ArgumentArity.OneOrMore };
        var expect = new Option<string?>("--expect")
        {
            Description = "a herd-style kinds file (NAME Allowed|Forbidden|Required per line): exit 1 on any test whose verdict differs or that it does not list",
        };
        var skip = new Option<bool>("--skip-unsupported")
        {
            Description = "report each test that uses a construct the tool does not support (file, line, reason) and explore the others, e.g. over herd's catalogue; exit 2 if none is left, or at a test that is malformed (no litmus test at all)",
        };
        var maxStates = new Option<long?>("--max-states")
        {
            Description = $"stop each test's search after this many distinct states and report it INCOMPLETE, with no verdict (default {LitmusExplorer.DefaultMaxStates:N0})",
        };
        var json = ScenarioInput.Json();
        var cmd = new Command("litmus", "explore herd7 AArch64 litmus tests exhaustively under the Armv8 model and print herd7's verdicts")
        {
            files, expect, skip, maxStates, json,
        };
        // The work is synchronous; the action still takes the token so Ctrl+C stops the search.
        cmd.SetAction((pr, cancel) => Task.FromResult(Run(pr, cancel)));
        return cmd;

        int Run(ParseResult pr, CancellationToken cancel)
        {
            var paths = pr.GetValue(files)!;
            foreach (var p in paths) InputException.ThrowIfEmpty(p, "litmus FILE");
            foreach (var p in paths)
            {
                if (Directory.Exists(p)) throw new InputException($"{p}: a directory; give its tests ({Path.Combine(p, "*.litmus")})");
                InputFile.Check(p, reason => new InputException($"{p}: {reason}"));
            }
            RepeatedValues.RefuseFiles("litmus FILE", paths);
            string? expectPath = pr.GetValue(expect);
            if (expectPath is not null) InputException.ThrowIfEmpty(expectPath, "--expect");
            if (expectPath is not null && Directory.Exists(expectPath)) throw new InputException($"--expect: {expectPath} is a directory; give a kinds file");
            if (expectPath is not null) InputFile.Check(expectPath, reason => new InputException($"--expect: {expectPath}: {reason}"));
            long bound = pr.GetValue(maxStates) ?? LitmusExplorer.DefaultMaxStates;
            if (bound < 1 || bound > WorkloadLoader.MaxStatesLimit)
                throw new InputException($"--max-states: {bound} is not a number of states from 1 to {WorkloadLoader.MaxStatesLimit:N0}");
            bool skipping = pr.GetValue(skip);
            var expected = expectPath is null ? null : ExpectedVerdicts.Load(expectPath);
            var results = new List<object>();
            var skipped = new List<LitmusException>();
            var tests = new List<LitmusTest>();
            foreach (var path in paths)
            {
                try { tests.Add(LitmusParser.ParseFile(path)); }
                catch (LitmusException e) when (skipping && !e.Malformed) { skipped.Add(e); }
            }
            // One line of a kinds file per name: two tests of one name would be compared with it both, and a mismatch named neither file.
            if (expected is not null && tests.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1) is { } same)
                throw new InputException($"--expect: {string.Join(" and ", same.Select(t => t.File))} are each test {same.Key}, which one line of {expectPath} cannot tell apart");
            var mismatches = new List<VerdictMismatch>();
            bool incomplete = false;
            int answered = 0, notRun = 0;
            string cut = "";
            foreach (var (test, index) in tests.Select((t, i) => (t, i)))
            {
                var clock = Stopwatch.StartNew();
                LitmusRun run;
                // An instruction can prove unanswerable only while it runs (an address that is no location).
                try { run = explore(test, bound, cancel); }
                catch (LitmusException e) when (skipping && !e.Malformed) { skipped.Add(e); continue; }
                // Ctrl+C: the test it cut short and those after it are not run; those before keep their blocks and comparison.
                if (cancel.IsCancellationRequested && run.IncompleteReason is not null)
                {
                    notRun = tests.Count - index;
                    // Said, in the JSON as on the console: the test cut short, how far its search got, and those never run.
                    cut = $"; {test.Name} cut after {Plural.Count(run.States, "state")}";
                    results.Add(new { name = test.Name, file = test.File, searchStates = run.States, seconds = clock.Elapsed.TotalSeconds, incompleteReason = VerdictWords.Cancelled });
                    results.AddRange(tests.Skip(index + 1).Select(t => new { name = t.Name, file = t.File, incompleteReason = $"{VerdictWords.Cancelled} before it ran" }));
                    break;
                }
                answered++;
                double seconds = clock.Elapsed.TotalSeconds;
                if (run.IncompleteReason is { } reason)
                {
                    incomplete = true;
                    // Ctrl+C broke off above, so the bound stopped it.
                    Console.Out.WriteLine($"INCOMPLETE {test.Name} ({reason}; --max-states raises the bound)");
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
            foreach (var e in skipped)
            {
                Console.Out.WriteLine($"SKIPPED {e.Message}");
                results.Add(new { file = e.File, skipped = e.Message });
            }
            string skippedNote = skipped.Count == 0 ? "" : $" ({skipped.Count} skipped as unsupported)";
            string notRunNote = notRun == 0 ? "" : $"; {notRun} not run";
            if (expected is not null)
                Console.Out.WriteLine($"{Plural.Count(answered, "test")} against {expectPath}: {Plural.Count(mismatches.Count, "mismatch", "mismatches")}{skippedNote}{notRunNote}");
            else if (skipped.Count > 0) Console.Out.WriteLine($"{Plural.Count(answered, "test")} explored{skippedNote}{notRunNote}");
            if (notRun > 0) Console.Out.WriteLine($"INCOMPLETE: cancelled after {answered} of {Plural.Count(answered + notRun, "test")} ({notRun} not run{cut})");
            // Exit 2 writes nothing, as for any bad input.
            if (answered == 0 && notRun == 0 && skipped.Count > 0) throw new InputException($"every test was skipped as unsupported; the first: {skipped[0].Message}");
            JsonOut.Write(pr.GetValue(json), results);
            // As explore's: an answer a user cut short is incomplete, mismatches found or not.
            return notRun > 0 ? Incomplete : mismatches.Count > 0 ? Mismatch : incomplete ? Incomplete : 0;
        }
    }
}

using SmmuActors.Reports;
using System.Diagnostics;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Client.Rendering;

/// <summary>
/// Progress of a long campaign on stderr, so stdout keeps only the answer: a line every few seconds
/// when the console is not interactive (CI logs, a pipe), with an ETA once the total is known; and,
/// in every mode, one warning as soon as the measured rate says the campaign will take hours, and one line when a search
/// starts again on one worker (<see cref="ExploreProgress.Again"/>). Rates count from the start of the attempt.
/// </summary>
public sealed class ProgressLine(string title, long total, TextWriter err, bool periodic) : IProgress<ExploreProgress>
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    static readonly TimeSpan Measure = TimeSpan.FromSeconds(2);
    static readonly TimeSpan Long = TimeSpan.FromHours(1);

    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly object _gate = new();
    TimeSpan _printed;
    TimeSpan _attempt;
    bool _warned, _again;

    public void Report(ExploreProgress p)
    {
        lock (_gate)
        {
            var elapsed = _clock.Elapsed;
            if (p.Again && !_again)
            {
                // Said at once, in every mode: the counts are about to fall back to zero.
                _again = true;
                _attempt = elapsed;
                err.WriteLine($"{title}: stopped on several workers, where the stopping point depends on timing (maxStates or --stop-at-first); searching again on one worker, whose order is the same every time");
            }
            double rate = p.Done / Math.Max(0.001, (elapsed - _attempt).TotalSeconds);
            TimeSpan? eta = total > 0 && rate > 0 ? TimeSpan.FromSeconds((total - p.Done) / rate) : null;
            if (!_warned && elapsed >= Measure && eta > Long)
            {
                _warned = true;
                err.WriteLine($"warning: {total:N0} runs at {rate:N0}/s will take about {Duration(eta.Value)}; Ctrl+C stops, --runs sets fewer");
            }
            if (!periodic || elapsed - _printed < Every) return;
            _printed = elapsed;
            string of = total > 0 ? $"/{total:N0}" : "";
            string left = eta is { } e ? $", ETA {Duration(e)}" : "";
            err.WriteLine($"{title}: {Describe(p, rate, total <= 0, of)}, {Duration(elapsed)} elapsed{left}");
        }
    }

    /// <summary>
    /// What a progress report counts. A search has no total and counts distinct states, and transitions that showed a
    /// violation (one violation reached by many orders counts each time); a campaign counts runs, their violations
    /// and their deliveries.
    /// </summary>
    public static string Describe(in ExploreProgress p, double rate, bool search, string of = "") => search
        ? $"{(p.Again ? "again on one worker: " : "")}{Plural.Count(p.States, "state")}, {rate:N0}/s, {Plural.Count(p.Violations, "violating transition")}"
        : $"{p.Done:N0}{of} {Plural.Noun(p.Total > 0 ? p.Total : p.Done, "run")}, {rate:N0}/s, {Plural.Count(p.Violations, "violation")}, {Plural.Count(p.States, "delivery", "deliveries")}";

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes:00} min" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds:00} s" : $"{t.TotalSeconds:0} s";
}

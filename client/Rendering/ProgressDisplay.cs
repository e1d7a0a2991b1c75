using SmmuActors.Model.Exploration;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>
/// Long work with its progress on stderr, so stdout starts with the answer: a live bar that clears itself on an
/// interactive console, a line every few seconds elsewhere (<see cref="ProgressLine"/>).
/// </summary>
public static class ProgressDisplay
{
    /// <param name="total">Runs to do, or 0 for a search, which counts states towards no known total.</param>
    /// <param name="also">Other observers of the same progress (metrics).</param>
    /// <param name="console">Where the live line is drawn: the process's console, or a test's.</param>
    public static async Task<T> RunAsync<T>(string title, long total, IProgress<ExploreProgress>? also, Func<IProgress<ExploreProgress>, Task<T>> work,
        IAnsiConsole? console = null)
    {
        console ??= AnsiConsole.Console;
        IProgress<ExploreProgress>[] others = also is null ? [] : [also];
        if (!console.Profile.Capabilities.Interactive)
        {
            Console.Error.WriteLine($"{title}...");
            return await work(new Fan([.. others, new ProgressLine(title, total, Console.Error, periodic: true)]));
        }
        T value = default!;
        // The title once, above the live line, and the counts alone in it, first: with the title in the line, a terminal
        // under about 150 columns showed nothing of the counts ("…"). A search has no total, so no bar or percentage.
        // On stderr, as the line a log gets: the live line clears itself, and stdout starts with the answer.
        Console.Error.WriteLine($"{title}...");
        // A bar only where the counts still fit beside it (a campaign's line is some 60 characters).
        ProgressColumn[] columns = total > 0 && console.Profile.Width >= 120
            ? [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn()]
            : total > 0
                ? [new TaskDescriptionColumn { Alignment = Justify.Left }, new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn()]
                : [new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn(), new SpinnerColumn()];
        await console.Progress()
            .AutoClear(true)
            .Columns(columns)
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(total > 0 ? "starting" : "searching", maxValue: total > 0 ? total : 1);
                if (total <= 0) task.IsIndeterminate = true;
                var started = DateTime.UtcNow;
                bool again = false;
                var display = new Progress<ExploreProgress>(p =>
                {
                    if (p.Again && !again) (again, started) = (true, DateTime.UtcNow);
                    double rate = p.Done / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
                    task.Description = ProgressLine.Describe(p, rate, total <= 0);
                    if (total > 0) task.Value = p.Done;
                });
                value = await work(new Fan([display, .. others, new ProgressLine(title, total, Console.Error, periodic: false)]));
                task.Value = task.MaxValue;
                task.StopTask();
            });
        return value;
    }

    sealed class Fan(IProgress<ExploreProgress>[] all) : IProgress<ExploreProgress>
    {
        public void Report(ExploreProgress value)
        {
            foreach (var p in all) p.Report(value);
        }
    }
}

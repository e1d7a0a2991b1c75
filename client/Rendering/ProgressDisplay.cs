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
    public static async Task<T> RunAsync<T>(string title, long total, IProgress<ExploreProgress>? also, Func<IProgress<ExploreProgress>, Task<T>> work)
    {
        IProgress<ExploreProgress>[] others = also is null ? [] : [also];
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            Console.Error.WriteLine($"{title}...");
            return await work(new Fan([.. others, new ProgressLine(title, total, Console.Error, periodic: true)]));
        }
        T value = default!;
        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(title, maxValue: total > 0 ? total : 1);
                if (total <= 0) task.IsIndeterminate = true;
                var started = DateTime.UtcNow;
                bool again = false;
                var display = new Progress<ExploreProgress>(p =>
                {
                    if (p.Again && !again) (again, started) = (true, DateTime.UtcNow);
                    double rate = p.Done / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
                    task.Description = $"{title}: {ProgressLine.Describe(p, rate, total <= 0)}";
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

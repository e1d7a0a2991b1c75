using SmmuActors.Client.Rendering;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Cli;

/// <summary>A search's progress counts states, a campaign's runs: each line names what it counts.</summary>
[Trait("Suite", "Cli")]
public sealed class ProgressLineTests
{
    [Fact]
    public void ASearchCountsStatesAndACampaignRuns()
    {
        var search = ProgressLine.Describe(new ExploreProgress(1_520_000, 0, 10_887, 1_520_000), 300_721, search: true);
        Assert.Equal("1,520,000 states, 300,721/s, 10,887 violating transitions", search);
        var campaign = ProgressLine.Describe(new ExploreProgress(40_000, 100_000, 3, 4_800_000), 20_000, search: false, "/100,000");
        Assert.Equal("40,000/100,000 runs, 20,000/s, 3 violations, 4,800,000 deliveries", campaign);
        var again = ProgressLine.Describe(new ExploreProgress(20_000, 0, 5, 20_000, Again: true), 300_000, search: true);
        Assert.Equal("again on one worker: 20,000 states, 300,000/s, 5 violating transitions", again);
    }

    /// <summary>
    /// On an 80-column terminal the live line shows the counts: with the title in it, every frame below about 150 columns
    /// was a lone "…". The work reports, then waits for the display to draw it (it redraws every 100 ms) before it ends.
    /// </summary>
    [Theory]
    [InlineData(100_000_000, "/s, 3 violations, 4,800,000 deliveries")]
    [InlineData(0, "/s, 10,887 violating transitions")]
    public async Task An_80_column_terminal_shows_the_counts_in_the_live_line(long total, string counts)
    {
        var frames = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(frames),
            Ansi = Spectre.Console.AnsiSupport.Yes,
            Interactive = Spectre.Console.InteractionSupport.Yes,
        });
        console.Profile.Width = 80;
        string title = "exploring every allowed order on the local engine under recheck-mb (elide-recheck=dma-mb early-elide=mb loads=armv8)";
        await ProgressDisplay.RunAsync(title, total, null, async p =>
        {
            p.Report(total > 0 ? new ExploreProgress(40_000, total, 3, 4_800_000) : new ExploreProgress(1_520_000, 0, 10_887, 1_520_000));
            for (int waited = 0; waited < 100 && !frames.ToString().Contains(counts); waited++) await Task.Delay(50);
            return 0;
        }, console);
        Assert.Contains(counts, frames.ToString());
        Assert.DoesNotContain("exploring every allowed order", frames.ToString());
    }

    [Fact]
    public void A_count_of_one_is_singular()
    {
        Assert.Equal("1 state, 5/s, 1 violating transition", ProgressLine.Describe(new ExploreProgress(1, 0, 1, 1), 5, search: true));
        Assert.Equal("0/1 run, 0/s, 1 violation, 1 delivery", ProgressLine.Describe(new ExploreProgress(0, 1, 1, 1), 0, search: false, "/1"));
        Assert.Equal("1/2 runs, 1/s, 0 violations, 2 deliveries", ProgressLine.Describe(new ExploreProgress(1, 2, 0, 2), 1, search: false, "/2"));
    }

    /// <summary>A search searched again on one worker is said once, as soon as it starts, even where no periodic line is printed.</summary>
    [Fact]
    public void A_search_run_again_is_said_once()
    {
        var err = new StringWriter();
        var line = new ProgressLine("exploring", 0, err, periodic: false);
        line.Report(new ExploreProgress(40_000, 0, 0, 40_000));
        Assert.Equal("", err.ToString());
        line.Report(new ExploreProgress(20_000, 0, 0, 20_000, Again: true));
        line.Report(new ExploreProgress(40_000, 0, 0, 40_000, Again: true));
        var said = err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["exploring: stopped on several workers, where the stopping point depends on timing (maxStates or --stop-at-first); searching again on one worker, whose order is the same every time"],
            said);
    }
}

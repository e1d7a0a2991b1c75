using System.Diagnostics;
using SmmuActors.Client.Engines;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// A grain call a stop asks to finish early (a shrink in a silo): its answer when it comes, within the grace after a
/// stop; the fallback, with why, when it fails or when a stopped call never answers, as one to a silo lost behind its
/// gateway does not.
/// </summary>
[Trait("Suite", "Cli")]
public sealed class StoppableCallTests
{
    static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task An_answer_before_any_stop_is_returned_and_no_stop_is_sent()
    {
        int stops = 0;
        var r = await StoppableCall.RunAsync(Task.FromResult("shrunk"), () => { stops++; return Task.CompletedTask; }, Grace, why => $"fallback: {why}", CancellationToken.None);
        Assert.Equal(("shrunk", 0), (r, stops));
    }

    [Fact]
    public async Task A_stopped_call_that_answers_within_the_grace_gives_its_answer()
    {
        var answer = new TaskCompletionSource<string>();
        using var cancel = new CancellationTokenSource();
        var run = StoppableCall.RunAsync(answer.Task, () => { answer.TrySetResult("cut short"); return Task.CompletedTask; }, Grace, why => $"fallback: {why}", cancel.Token);
        cancel.Cancel();
        Assert.Equal("cut short", await run);
    }

    [Fact]
    public async Task A_stopped_call_that_never_answers_gives_the_fallback_within_the_grace()
    {
        var never = new TaskCompletionSource<string>();
        using var cancel = new CancellationTokenSource();
        int stops = 0;
        var run = StoppableCall.RunAsync(never.Task, () => { stops++; return Task.FromException(new SiloUnavailableException("silo gone")); }, Grace,
            why => $"fallback: {why}", cancel.Token);
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        Assert.Equal("fallback: no answer within 0.3 s of the stop", await run);
        Assert.Equal(1, stops);
        // Not before the grace as timers count it: .NET's timers run on a coarse clock (CLOCK_MONOTONIC_COARSE on Linux, one
        // kernel tick: 4 ms here, 10 ms at HZ=100), so a 0.3 s timeout fired 0.2983 s after the stop by this Stopwatch (CI, 2026-12-07).
        Assert.InRange(clock.Elapsed, Grace - TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_failed_call_gives_the_fallback_with_its_reason()
    {
        var r = await StoppableCall.RunAsync(Task.FromException<string>(new TimeoutException("Response did not arrive on time")), () => Task.CompletedTask, Grace,
            why => $"fallback: {why}", CancellationToken.None);
        Assert.Equal("fallback: Response did not arrive on time", r);
    }

    [Fact]
    public async Task Any_other_failure_is_not_hidden()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => StoppableCall.RunAsync(Task.FromException<string>(new InvalidOperationException("model bug")),
            () => Task.CompletedTask, Grace, why => $"fallback: {why}", CancellationToken.None));
    }
}

namespace SmmuActors.Client.Engines;

/// <summary>
/// A grain call that a stop asks to finish early with what it has. Cancelled, the stop is sent and the call is given
/// a grace to come back; a call that fails, or does not come back within the grace after a stop (a call to a silo lost
/// behind its gateway is not failed but waits out its response timeout, dotnet/orleans#10165), gives the fallback
/// instead, told why. So a Ctrl+C ends the wait within the grace whatever became of the silo.
/// </summary>
public static class StoppableCall
{
    public static async Task<T> RunAsync<T>(Task<T> call, Func<Task> stop, TimeSpan grace, Func<string, T> fallback, CancellationToken cancel)
    {
        Observe(call);
        try
        {
            return await call.WaitAsync(cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return await AfterStop(call, stop, grace, fallback);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return fallback(e.Message);
        }
    }

    /// <summary>
    /// The same for a call whose failures are its caller's to see: only a stop is answered differently, and a call that
    /// does not answer within the grace after it ends as cancelled, <paramref name="giveUp"/> cancelled with it (the
    /// call's own token, which makes Orleans cancel it in the grain as a backstop to the stop).
    /// </summary>
    public static async Task<T> CutAsync<T>(Task<T> call, Func<Task> stop, TimeSpan grace, CancellationTokenSource giveUp, CancellationToken cancel)
    {
        try
        {
            return await call.WaitAsync(cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Observe(call);
            return await AfterStop(call, stop, grace, _ =>
            {
                giveUp.Cancel();
                throw new OperationCanceledException(cancel);
            });
        }
    }

    static async Task<T> AfterStop<T>(Task<T> call, Func<Task> stop, TimeSpan grace, Func<string, T> fallback)
    {
        Observe(stop());
        try { return await call.WaitAsync(grace); }
        catch (TimeoutException) { return fallback($"no answer within {grace.TotalSeconds:0.#} s of the stop"); }
        catch (OrleansException e) { return fallback(e.Message); }
    }

    /// <summary>A call left to end by itself may fail later: its failure is observed here, not raised as unobserved.</summary>
    public static void Observe(Task t) => t.ContinueWith(x => _ = x.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
}

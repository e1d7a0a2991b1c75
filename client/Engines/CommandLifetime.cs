using Microsoft.Extensions.Hosting;

namespace SmmuActors.Client.Engines;

/// <summary>
/// The lifetime of the client's Orleans host: it takes no signal. The default console lifetime would
/// answer Ctrl+C by stopping the embedded silo under a running campaign, before the command could
/// cancel it and print the partial result (see <see cref="StopSignals"/>).
/// </summary>
public sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

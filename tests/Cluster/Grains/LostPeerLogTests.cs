using Microsoft.Extensions.Logging;
using SmmuActors.Grains.Hosting;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// Orleans' warnings about a lost peer go to a log file that the process names once: a client that tries a Redis
/// cluster's join again builds a host each time, and each named the same file (three lines over a 30 s wait).
/// </summary>
[Trait("Suite", "Cluster")]
public sealed class LostPeerLogTests
{
    [Fact]
    public void Hosts_one_after_another_name_the_process_s_log_once_and_all_write_to_it()
    {
        string name = $"lost-peer-test-{Guid.NewGuid():N}";
        string path = QuietLogging.LogPath(name);
        var said = new List<string>();
        try
        {
            for (int host = 0; host < 3; host++)
            {
                using var factory = LoggerFactory.Create(b => b.Quiet(name, said.Add));
                factory.CreateLogger("Orleans.Messaging.GatewayManager").LogWarning("gateway {Host} lost", host);
            }
            Assert.Equal([$"Orleans' warnings about lost connections are logged to {path}"], said);
            Assert.Equal(3, File.ReadAllLines(path).Count(l => l.Contains("gateway") && l.Contains("lost")));
        }
        finally { File.Delete(path); }
    }
}

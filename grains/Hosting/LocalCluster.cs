using SmmuActors.Contracts;
using System.Net;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// The local cluster's fixed layout on loopback: silo N listens on 11111+N (silo-to-silo) and
/// 30000+N (clients); instance 0 is the primary and holds the membership table.
/// SMMU_ACTORS_PORT_OFFSET shifts every port, so tests can run a cluster beside one a user started.
/// </summary>
public static class LocalCluster
{
    public const string ServiceId = "smmu-actors";
    public const string ClusterId = "local";
    public const int MaxInstances = 10;
    public const string PortOffsetVariable = "SMMU_ACTORS_PORT_OFFSET";

    public static int PortOffset =>
        int.TryParse(Environment.GetEnvironmentVariable(PortOffsetVariable), out int offset) ? offset : 0;

    const int FirstSiloPort = 11111;
    const int FirstGatewayPort = 30000;

    public static int SiloPort(int instance, int? offset = null) => FirstSiloPort + (offset ?? PortOffset) + instance;

    public static int GatewayPort(int instance, int? offset = null) => FirstGatewayPort + (offset ?? PortOffset) + instance;

    public static IPEndPoint Primary => new(IPAddress.Loopback, SiloPort(0));
}

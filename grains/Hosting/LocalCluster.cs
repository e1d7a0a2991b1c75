using SmmuActors.Contracts;
using System.Globalization;
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

    const int FirstSiloPort = 11111;
    const int FirstGatewayPort = 30000;

    /// <summary>The largest offset that keeps the last instance's gateway a port.</summary>
    public const int MaxPortOffset = 65535 - FirstGatewayPort - (MaxInstances - 1);

    /// <summary>
    /// Why <see cref="PortOffsetVariable"/> is not an offset, or null when it is one or is unset. A malformed one was taken
    /// for 0, so the silo or client went to another cluster's ports; one too large made a silo crash on a port above 65535.
    /// </summary>
    public static string? PortOffsetProblem => ReadPortOffset().Problem;

    /// <summary>The offset; callers check <see cref="PortOffsetProblem"/> first and refuse the input.</summary>
    public static int PortOffset => ReadPortOffset() is { Problem: null } read ? read.Offset : throw new InvalidOperationException(PortOffsetProblem);

    static (int Offset, string? Problem) ReadPortOffset() =>
        Environment.GetEnvironmentVariable(PortOffsetVariable) is not { Length: > 0 } text ? (0, null)
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int offset) && offset <= MaxPortOffset ? (offset, null)
        : (0, $"{PortOffsetVariable}: '{text}' is not a port offset (a whole number from 0 to {MaxPortOffset}, so that every instance's ports are below 65536)");

    public static int SiloPort(int instance, int? offset = null) => FirstSiloPort + (offset ?? PortOffset) + instance;

    public static int GatewayPort(int instance, int? offset = null) => FirstGatewayPort + (offset ?? PortOffset) + instance;

    public static IPEndPoint Primary => new(IPAddress.Loopback, SiloPort(0));
}

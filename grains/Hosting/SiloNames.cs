using Microsoft.Extensions.DependencyInjection;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// How a silo is named to users, as batches and partitions per silo are listed: the endpoint it prints when ready and
/// the name it was started under (silo N, from --instance). Orleans' own identity, S127.0.0.1:11111:155596621, adds a
/// generation the user never sees, and its default name (Silo_a4c40) is random, so every host here names its silo.
/// </summary>
public static class SiloNames
{
    /// <summary>The Orleans silo name of `silo --instance N`, as its console lines call it.</summary>
    public static string Instance(int n) => $"silo {n}";

    /// <summary>The Orleans silo name of a client's own silo.</summary>
    public const string Embedded = "embedded";

    public static string Of(ILocalSiloDetails silo) => Of(silo.SiloAddress, silo.Name);

    public static string Of(SiloAddress address, string name) => $"{address.Endpoint} ({name})";

    /// <summary>The silo this grain's activation runs on.</summary>
    public static string SiloName(this Grain grain) => Of(grain.GrainContext.ActivationServices.GetRequiredService<ILocalSiloDetails>());
}

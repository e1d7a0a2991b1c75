using SmmuActors.Contracts;
namespace SmmuActors.Grains.Placement;

/// <summary>Silos in the order they joined (generation, then endpoint): the same list on every silo that asks.</summary>
static class SiloOrder
{
    public static SiloAddress[] Oldest(SiloAddress[] silos) =>
        silos.OrderBy(s => s.Generation).ThenBy(s => s.Endpoint.Port).ThenBy(s => s.Endpoint.Address.ToString()).ToArray();
}

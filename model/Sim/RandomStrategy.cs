
namespace SmmuActors.Model.Sim;

/// <summary>Seeded random delays: mostly short, now and then a long one that lets a message be overtaken.</summary>
public sealed class RandomStrategy(ulong seed, DelaySpec delays) : IStrategy
{
    Rng _rng = new(seed);

    public long Delay(in Message m, DelayClass cls) => cls switch
    {
        _ when DelaySpec.MayBeLong(cls) && _rng.Unit() < delays.LongProbability => _rng.Range(delays.Max, delays.LongMax),
        _ => _rng.Range(delays.Min, delays.Max),
    };

    public int Tie(int count) => _rng.Below(count);

    public long Start(int thread, IReadOnlyList<long> menu) => menu[_rng.Below(menu.Count)];

    public void Hash(ref StateHasher h) { }

    /// <summary>The seed of run <paramref name="index"/> of a campaign started at <paramref name="seed"/>.</summary>
    public static ulong RunSeed(ulong seed, long index)
    {
        var r = new Rng(seed ^ (0xD1B54A32D192ED03UL * (ulong)(index + 1)));
        return r.Next();
    }
}

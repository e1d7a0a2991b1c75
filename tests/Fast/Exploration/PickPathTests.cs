using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// Picks and numbers of choices in bytes (<see cref="PickPath"/>): one byte below 255, as every pick was before, so the
/// partitioned search's batches and the bytes per state measured in docs/scaling.md are unchanged; three from 255 on.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class PickPathTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(254, 1)]
    [InlineData(255, 3)]
    [InlineData(2482, 3)]
    [InlineData(PickPath.Max, 3)]
    public void A_value_reads_back_from_the_bytes_it_takes(int v, int bytes)
    {
        var w = new PackedWriter();
        w.Pick(v);
        w.Number(9);
        var data = w.Take();
        Assert.Equal(bytes + 1, data.Length);
        var r = new PackedReader(data);
        Assert.Equal(v, r.Pick());
        Assert.Equal(9, r.Number());
        Assert.False(r.More);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(PickPath.Max + 1)]
    public void A_value_out_of_range_is_refused(int v) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PackedWriter().Pick(v));

    [Fact]
    public void A_path_is_its_picks_one_after_another()
    {
        long[] picks = [3, 254, 255, 1000, 0];
        var path = PickPath.Of(picks);
        Assert.Equal(1 + 1 + 3 + 3 + 1, path.Length);
        Assert.Equal(path, PickPath.With(PickPath.Of(picks[..^1]), 0));
        var read = new List<long>();
        for (int at = 0; at < path.Length;) read.Add(PickPath.Read(path, ref at));
        Assert.Equal(picks, read);
        Assert.Equal([3, 254], PickPath.Of([3, 254]));
    }
}

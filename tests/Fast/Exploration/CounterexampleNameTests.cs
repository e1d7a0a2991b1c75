using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// A counterexample's file is named for everything that made it: a search of the same preset under other --set
/// switches (in-order loads, then loads=armv8) wrote over the first search's counterexample, under the same name.
/// </summary>
[Trait("Suite", "Fast")]
public class CounterexampleNameTests
{
    static string Name(string preset, params string[] set) =>
        Counterexample.FileName(Variants.Build(preset, set), "reviewer-race", "stale-translation");

    [Fact]
    public void A_preset_alone_is_named_by_the_preset()
    {
        Assert.Equal("as-posted-reviewer-race-stale-translation.json", Name("as-posted"));
        // Setting a switch to the value the preset already has changes nothing, so neither does it change the name.
        Assert.Equal("recheck-mb-reviewer-race-stale-translation.json", Name("recheck-mb", "elide-recheck=dma-mb"));
    }

    [Fact]
    public void Each_switch_set_off_the_preset_is_in_the_name_in_the_table_order()
    {
        Assert.Equal("as-posted+loads=armv8-reviewer-race-stale-translation.json", Name("as-posted", "loads=armv8"));
        // Switches, not the order they were given in: the same variant is the same file.
        Assert.Equal("recheck-mb+cons-advance=any+loads=armv8-reviewer-race-stale-translation.json",
            Name("recheck-mb", "loads=armv8", "cons-advance=any"));
        Assert.Equal(Name("recheck-mb", "loads=armv8", "cons-advance=any"), Name("recheck-mb", "cons-advance=any", "loads=armv8"));
        Assert.NotEqual(Name("as-posted"), Name("as-posted", "loads=armv8"));
    }

    [Fact]
    public void Switches_too_long_to_spell_out_are_named_by_their_hash_apart_from_other_switches()
    {
        string[] many = ["cons-advance=any", "msi-power-off=lost", "quiesce-order=smp-mb", "rmw-write=split", "cons-writeback=off", "loads=armv8"];
        string hashed = Name("recheck-mb", many);
        Assert.Matches("^recheck-mb\\+set-[0-9a-f]{12}-reviewer-race-stale-translation\\.json$", hashed);
        Assert.Equal(hashed, Name("recheck-mb", many.Reverse().ToArray()));
        Assert.NotEqual(hashed, Name("recheck-mb", [.. many[..^1], "loads=in-order", "off-reads=zero"]));
        Assert.True(Counterexample.IsFileName(hashed));
    }

    /// <summary>Every switch of the table set off as-posted at once, the longest name a variant can give, fits.</summary>
    [Fact]
    public void Every_switch_set_at_once_still_names_a_file_Linux_can_hold()
    {
        var v = Variant.AsPosted;
        foreach (var s in Variants.Switches)
            v = Variants.Apply(v, $"{s.Name}={s.Values.First(x => x != s.Get(Variant.AsPosted))}");
        string name = Counterexample.FileName(v, new string('w', SmmuActors.Model.Workloads.WorkloadLoader.NameMax), "commit-after-drain");
        Assert.InRange(name.Length, 1, Counterexample.LongestFileName);
        Assert.InRange(Counterexample.LongestFileName, 1, AtomicFile.NameMax);
    }
}

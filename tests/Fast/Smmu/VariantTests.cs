using SmmuActors.Tests.Support;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Smmu;

[Trait("Suite", "Fast")]
public class VariantTests
{
    [Fact]
    public void EveryPresetTheIssueNamesExists()
    {
        string[] required = ["as-posted", "recheck-mb", "ordered-stop", "stop-before-disable", "no-resume-mb", "no-reset-invalidate",
            "gate-outside-cas", "inc-drops-stop", "drain-by-sync", "stale-cons-on-resume", "early-elide", "early-elide-mb", "cons-at-fetch"];
        Assert.Subset(Variants.Presets.Select(p => p.Name).ToHashSet(), required.ToHashSet());
    }

    [Fact]
    public void EveryPresetDiffersFromAsPostedExactlyByItsOverrides()
    {
        foreach (var (name, _, overrides) in Variants.Presets)
            Assert.Equal(overrides.OrderBy(x => x), Variants.Describe(Variants.Build(name, [])).OrderBy(x => x));
    }

    [Fact]
    public void SetOverridesOneSwitchOfAPreset()
    {
        var v = Variants.Build("recheck-mb", ["resume-barrier=none"]);
        Assert.Equal(ElideRecheck.DmaMb, v.ElideRecheck);
        Assert.Equal(ResumeBarrier.None, v.ResumeBarrier);
        Assert.Equal("recheck-mb", v.Preset);
    }

    /// <summary>
    /// A --set that takes back what a preset is named for leaves a variant the preset's name would misdescribe (a search of
    /// as-posted printed as recheck-mb's): it takes the name of the preset it now is, or as-posted with its switches.
    /// </summary>
    [Theory]
    [InlineData("recheck-mb", new[] { "elide-recheck=none" }, "as-posted", new string[0])]
    [InlineData("gate-outside-cas", new[] { "stop-gate=none" }, "no-gate", new[] { "stop-gate=none" })]
    [InlineData("recheck-mb", new[] { "elide-recheck=none", "resume-barrier=none" }, "no-resume-mb", new[] { "resume-barrier=none" })]
    [InlineData("recheck-mb", new[] { "elide-recheck=none", "walker=non-coherent", "resume-barrier=none" }, "as-posted",
        new[] { "resume-barrier=none", "walker=non-coherent" })]
    [InlineData("recheck-mb", new[] { "elide-recheck=dma-mb" }, "recheck-mb", new[] { "elide-recheck=dma-mb" })]
    public void A_set_that_takes_back_the_presets_own_setting_renames_the_variant(string preset, string[] set, string named, string[] switches)
    {
        var v = Variants.Build(preset, set);
        Assert.Equal(named, v.Preset);
        Assert.Equal(switches.Order(), Variants.Describe(v).Order());
    }

    [Fact]
    public void AllSettingsRebuildTheSameVariant()
    {
        var v = Variants.Build("drain-by-sync", ["sync-mode=cons", "walker=non-coherent"]);
        Assert.Equal(v, Variants.Build("as-posted", Variants.AllSettings(v)) with { Preset = v.Preset });
    }
}

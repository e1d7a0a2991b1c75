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

    [Fact]
    public void AllSettingsRebuildTheSameVariant()
    {
        var v = Variants.Build("drain-by-sync", ["sync-mode=cons", "walker=non-coherent"]);
        Assert.Equal(v, Variants.Build("as-posted", Variants.AllSettings(v)) with { Preset = v.Preset });
    }
}

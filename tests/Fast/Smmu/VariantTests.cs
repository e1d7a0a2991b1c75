using SmmuActors.Tests.Support;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Smmu;

[Trait("Suite", "Fast")]
public class VariantTests
{
    [Fact]
    public void EveryPresetTheIssueNamesExists()
    {
        string[] required = ["as-posted", "recheck-mb", "ordered-stop", "stop-before-disable", "no-resume-mb", "no-reset-invalidate",
            "gate-outside-cas", "inc-drops-stop", "drain-by-sync", "stale-cons-on-resume", "no-early-elide", "early-elide-mb", "cons-at-fetch"];
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
    [InlineData("recheck-mb", new[] { "elide-recheck=none" }, "early-elide-mb", new[] { "early-elide=mb" })]
    [InlineData("recheck-mb", new[] { "elide-recheck=none", "early-elide=plain" }, "as-posted", new string[0])]
    [InlineData("recheck-mb", new[] { "early-elide=plain" }, "as-posted", new[] { "elide-recheck=dma-mb" })]
    [InlineData("gate-outside-cas", new[] { "stop-gate=none" }, "as-posted", new[] { "stop-gate=none" })]
    [InlineData("gate-outside-cas", new[] { "stop-gate=none", "early-elide=off" }, "no-gate", new[] { "stop-gate=none", "early-elide=off" })]
    [InlineData("recheck-mb", new[] { "elide-recheck=none", "early-elide=plain", "resume-barrier=none" }, "no-resume-mb", new[] { "resume-barrier=none" })]
    [InlineData("recheck-mb", new[] { "elide-recheck=none", "early-elide=plain", "walker=non-coherent", "sync-mode=cons", "resume-barrier=none" }, "as-posted",
        new[] { "resume-barrier=none", "walker=non-coherent", "sync-mode=cons" })]
    [InlineData("recheck-mb", new[] { "elide-recheck=dma-mb" }, "recheck-mb", new[] { "elide-recheck=dma-mb", "early-elide=mb" })]
    public void A_set_that_takes_back_the_presets_own_setting_renames_the_variant(string preset, string[] set, string named, string[] switches)
    {
        var v = Variants.Build(preset, set);
        Assert.Equal(named, v.Preset);
        Assert.Equal(switches.Order(), Variants.Describe(v).Order());
    }

    /// <summary>
    /// v8 reads STOP twice on an unmap's invalidation, in arm_smmu_cmdq_can_elide and in the CAS loop (protocol.md §3.5), and
    /// the reviewer's concern covers both: as-posted has the first plain, recheck-mb re-checks at both, mainline has neither.
    /// </summary>
    [Fact]
    public void As_posted_reads_stop_early_and_recheck_mb_rechecks_both_reads()
    {
        Assert.Equal(EarlyElide.Plain, Variants.Build("as-posted", []).EarlyElide);
        var recheck = Variants.Build("recheck-mb", []);
        Assert.Equal((ElideRecheck.DmaMb, EarlyElide.Mb), (recheck.ElideRecheck, recheck.EarlyElide));
        Assert.Equal(EarlyElide.Off, Variants.Build("no-gate", []).EarlyElide);
        Assert.Equal(EarlyElide.Off, Variants.Build("no-early-elide", []).EarlyElide);
    }

    /// <summary>The driver polls a CMD_SYNC's MSI only on a coherent SMMU, whose walker is coherent too (protocol.md §2.5).</summary>
    [Theory]
    [InlineData("as-posted", new[] { "walker=non-coherent" })]
    [InlineData("noncoherent-walker", new[] { "sync-mode=msi" })]
    public void A_non_coherent_walker_with_msi_polling_is_refused(string preset, string[] set)
    {
        var e = Assert.Throws<ArgumentException>(() => Variants.Build(preset, set));
        Assert.Contains("walker=non-coherent needs sync-mode=cons", e.Message);
        Assert.Equal((Walker.NonCoherent, SyncMode.Cons), (Variants.Build("noncoherent-walker", []).Walker, Variants.Build("noncoherent-walker", []).SyncMode));
    }

    /// <summary>
    /// A switch that acts only under another's value names that value where the variant lacks it; it acts where the
    /// variant has it, and a switch set to as-posted's value changes nothing either way.
    /// </summary>
    [Theory]
    [InlineData("as-posted", new string[0], "rmw-write=split", "loads=armv8")]
    [InlineData("as-posted", new string[0], "owner-prod-spin=armv8", "loads=armv8")]
    [InlineData("as-posted", new[] { "loads=armv8" }, "rmw-write=split", null)]
    [InlineData("as-posted", new string[0], "cons-read=readl-relaxed", "sync-mode=cons")]
    [InlineData("noncoherent-walker", new string[0], "cons-read=readl-relaxed", null)]
    [InlineData("as-posted", new string[0], "rmw-write=with-read", null)]
    [InlineData("as-posted", new string[0], "stop-gate=none", null)]
    public void A_switch_that_needs_another_names_what_it_needs(string preset, string[] set, string assignment, string? needs) =>
        Assert.Equal(needs, Variants.Idle(Variants.Build(preset, [.. set, assignment]), assignment));

    /// <summary>What the prerequisites say is what the model does: under in-order loads rmw-write=split leaves every run as it was.</summary>
    [Fact]
    public void An_idle_switch_changes_no_run()
    {
        var plain = Scenarios.Shipped("reviewer-race.json");
        var split = new ScenarioModel(plain.Workload, Variants.Build("as-posted", ["rmw-write=split", "owner-prod-spin=armv8"]));
        for (ulong seed = 1; seed <= 20; seed++)
            Assert.Equal(LocalEngine.Run(plain, RandomBatch.Strategy(plain, seed, 0)).TraceHash, LocalEngine.Run(split, RandomBatch.Strategy(split, seed, 0)).TraceHash);
    }

    [Fact]
    public void AllSettingsRebuildTheSameVariant()
    {
        var v = Variants.Build("drain-by-sync", ["sync-mode=cons", "walker=non-coherent"]);
        Assert.Equal(v, Variants.Build("as-posted", Variants.AllSettings(v)) with { Preset = v.Preset });
    }
}

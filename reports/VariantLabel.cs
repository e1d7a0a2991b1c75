using SmmuActors.Model.Smmu;

namespace SmmuActors.Reports;

/// <summary>A variant as every header names it, on the console and in the report: the preset it goes by and its switches, --set's among them.</summary>
public static class VariantLabel
{
    /// <summary>The switches set over as-posted, as every header shows them after the preset: " (a=b c=d)", or nothing.</summary>
    public static string Suffix(IReadOnlyList<string> switches) => switches.Count == 0 ? "" : $" ({string.Join(" ", switches)})";

    public static string Of(Variant v) => $"{v.Preset}{Suffix(Variants.Describe(v).ToList())}";
}

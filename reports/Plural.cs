namespace SmmuActors.Reports;

/// <summary>A count and its noun in agreement, as every console line and the report print counts: "1 run", "2 runs".</summary>
public static class Plural
{
    /// <summary><paramref name="n"/> grouped (N0) and the noun that agrees with it.</summary>
    public static string Count(long n, string singular, string? plural = null) => $"{n:N0} {Noun(n, singular, plural)}";

    /// <summary>The noun alone, where the count stands apart from it ("40 of 1 run" agrees with the 1).</summary>
    public static string Noun(long n, string singular, string? plural = null) => n == 1 ? singular : plural ?? singular + "s";
}

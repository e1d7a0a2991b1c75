namespace SmmuActors.Model.Exploration;

/// <summary>
/// The model itself failed: an exception no input should cause, so a bug in SmmuActors and not a verdict. It says
/// where (which random run, or the search), and for a random run the options of `smmu-actors run` that replay that run
/// alone under the same workload and variant.
/// </summary>
public sealed class ModelFaultException(string where, string? reproduce, Exception inner)
    : Exception($"{where}: {inner.GetType().Name}: {inner.Message}", inner)
{
    public string Where { get; } = where;

    /// <summary>`run` options that replay the failing run alone (e.g. <c>--seed 123</c>), or null when no one run failed.</summary>
    public string? Reproduce { get; } = reproduce;
}

namespace SmmuActors.Model.Sim;

/// <summary>Every choice a strategy made, in order: enough to replay the run exactly.</summary>
public sealed class ChoiceLog
{
    readonly List<long> _values = new();
    public IReadOnlyList<long> Values => _values;
    public void Add(long v) => _values.Add(v);
}

using SmmuActors.Model.Exploration;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="Counterexample"/>: its own file format, so what travels is exactly what is saved.</summary>
[GenerateSerializer, Alias("smmu.counterexample")]
public readonly record struct CounterexampleSurrogate(string Json);

[RegisterConverter]
public sealed class CounterexampleConverter : IConverter<Counterexample, CounterexampleSurrogate>
{
    public Counterexample ConvertFromSurrogate(in CounterexampleSurrogate s) => Counterexample.FromJson(s.Json, "(counterexample from a silo)");

    public CounterexampleSurrogate ConvertToSurrogate(in Counterexample c) => new(c.ToJson());
}

using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client;

/// <summary>One variant's exploration: its summary and its counterexamples, ready to print or put in a report.</summary>
public sealed record ExploredVariant(ExploreSummary Summary, IReadOnlyList<Witness> Witnesses);

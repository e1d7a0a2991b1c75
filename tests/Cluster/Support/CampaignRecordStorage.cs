using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using SmmuActors.Contracts;
using SmmuActors.Grains.Campaign;
using SmmuActors.Grains.Hosting;

namespace SmmuActors.Tests.Support;

/// <summary>
/// Campaign storage held by the test, so it outlives any silo of the cluster, that counts campaign writes and checks
/// ETags as the memory and Redis providers do: a write whose ETag is not the stored record's is refused with an
/// <see cref="InconsistentStateException"/>, and counted as a conflict (two activations writing one record).
/// </summary>
public sealed class CampaignRecordStorage : IGrainStorage
{
    readonly ConcurrentDictionary<(string, GrainId), (byte[] State, string ETag)> _records = new();
    readonly object _gate = new();
    int _etag;
    // Records are stored serialized, as a provider's are, so an activation never shares its state object; a serializer
    // of the test's own, as a silo's goes with the silo.
    static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(CampaignGrain).Assembly).AddAssembly(typeof(CampaignEntry).Assembly))
        .BuildServiceProvider().GetRequiredService<Serializer>();

    public int CampaignWrites;

    /// <summary>Writes refused because another activation had written the record since this one read or wrote it.</summary>
    public int Conflicts;

    /// <summary>Campaign writes still to fail, as storage away (Redis restarting) fails them.</summary>
    public int FailCampaignWrites;

    /// <summary>Campaign records that fail to be written while it says so, as a silo lost before it stores them would leave them.</summary>
    public Func<CampaignState, bool> Unwritten = _ => false;

    /// <summary>A cluster of <paramref name="silos"/> silos whose campaign storage is this.</summary>
    public async Task<InProcessTestCluster> ClusterAsync(int silos, Action<ISiloBuilder>? configure = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSmmuActors(propagateTraces: false).ConfigureServices(s => s.AddKeyedSingleton<IGrainStorage>(CampaignStorage.Name, this));
            configure?.Invoke(silo);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Whether campaign <paramref name="id"/> has a record.</summary>
    public bool Holds(Guid id) => _records.Keys.Any(k => k.Item1 == "campaign" && k.Item2.ToString().Contains(id.ToString("N")));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = Serializer.Deserialize<T>(record.State);
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    /// <summary>How long a write takes to be acknowledged, as a real provider's round trip does: merges land during it.</summary>
    public TimeSpan WriteTakes = TimeSpan.Zero;

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (stateName == "campaign" && (Interlocked.Decrement(ref FailCampaignWrites) >= 0 || Unwritten((CampaignState)(object)grainState.State!)))
            throw new IOException("storage away");
        lock (_gate)
        {
            string? stored = _records.TryGetValue((stateName, grainId), out var record) ? record.ETag : null;
            if (stored != grainState.ETag)
            {
                Interlocked.Increment(ref Conflicts);
                throw new InconsistentStateException($"ETag mismatch: stored {stored}, written {grainState.ETag}", stored, grainState.ETag);
            }
            if (stateName == "campaign") Interlocked.Increment(ref CampaignWrites);
            string etag = (++_etag).ToString(CultureInfo.InvariantCulture);
            _records[(stateName, grainId)] = (Serializer.SerializeToArray(grainState.State), etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
        if (WriteTakes > TimeSpan.Zero) await Task.Delay(WriteTakes);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _records.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}

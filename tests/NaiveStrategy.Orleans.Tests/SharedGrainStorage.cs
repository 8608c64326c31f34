using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace NaiveStrategy.Orleans.Tests;

/// <summary>
/// Grain storage that outlives silos (the silos of a test cluster run in one process and share a table), with
/// ETag checks like a real provider: a write with a stale ETag throws <see cref="InconsistentStateException"/>. State
/// goes through the writing silo's serializer as bytes, so what is read back is what a remote store would give.
/// </summary>
internal sealed class SharedGrainStorage(SharedGrainStorage.Table table, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (table.Rows.TryGetValue(Key(stateName, grainId), out var row))
        {
            grainState.State = serializer.Deserialize<T>(row.Bytes);
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var bytes = serializer.SerializeToArray(grainState.State);
        lock (table)
        {
            var current = table.Rows.GetValueOrDefault(key);
            if (current?.ETag != grainState.ETag)
            {
                throw new InconsistentStateException($"ETag mismatch for {key}", current?.ETag, grainState.ETag);
            }

            var etag = Guid.NewGuid().ToString("N");
            table.Rows[key] = new Row(bytes, etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        table.Rows.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    /// <summary>The rows every silo of a test cluster reads and writes.</summary>
    public sealed class Table
    {
        public ConcurrentDictionary<string, Row> Rows { get; } = new(StringComparer.Ordinal);

        public T? Read<T>(Serializer serializer, string stateName, GrainId grainId) =>
            Rows.TryGetValue(Key(stateName, grainId), out var row) ? serializer.Deserialize<T>(row.Bytes) : default;
    }

    public sealed record Row(byte[] Bytes, string ETag);
}

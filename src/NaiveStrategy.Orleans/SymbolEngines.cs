using System.Collections.Concurrent;

namespace NaiveStrategy.Orleans;

/// <summary>
/// The engines this silo's Leader grains run. When the silo stops, even abruptly, its service provider disposes this,
/// and with it every engine: no symbol keeps trading from a silo the cluster has given up.
/// </summary>
internal sealed class SymbolEngines : IAsyncDisposable
{
    private readonly ConcurrentDictionary<NaiveStrategyEngine, byte> _engines = new();
    private int _disposed;

    /// <summary>How many engines run in this silo.</summary>
    public int Count => _engines.Count;

    public void Add(NaiveStrategyEngine engine)
    {
        _engines.TryAdd(engine, 0);
        if (Volatile.Read(ref _disposed) != 0)
        {
            engine.Dispose();
        }
    }

    public async ValueTask RemoveAsync(NaiveStrategyEngine engine)
    {
        if (_engines.TryRemove(engine, out _))
        {
            await engine.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var engine in _engines.Keys)
        {
            await RemoveAsync(engine);
        }
    }
}

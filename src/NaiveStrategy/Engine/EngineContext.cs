using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Engine;

/// <summary>What every symbol pipeline of an engine shares.</summary>
internal sealed record EngineContext(NaiveStrategyOptions Options, TimeProvider Time, ILogger Logger, IStrategyStore? Store, Action<StrategyEvent> Publish, Action<Task> Track, EngineMetrics Metrics, StoreHealth StoreHealth, CancellationToken Stopping, AccountGuard? Account = null);

/// <summary>The store's last failure, cleared by the next write that succeeds.</summary>
internal sealed class StoreHealth
{
    private string? _error;

    public string? Error => Volatile.Read(ref _error);

    public void StoreFailed(Exception error) => Volatile.Write(ref _error, error.Message);

    public void StoreWorked()
    {
        if (_error is not null)
        {
            Volatile.Write(ref _error, null);
        }
    }
}

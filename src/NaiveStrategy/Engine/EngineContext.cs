using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Engine;

/// <summary>What every symbol pipeline of an engine shares.</summary>
internal sealed record EngineContext(NaiveStrategyOptions Options, TimeProvider Time, ILogger Logger, IStrategyStore? Store, Action<StrategyEvent> Publish, Action<Task> Track, EngineMetrics Metrics, CancellationToken Stopping);

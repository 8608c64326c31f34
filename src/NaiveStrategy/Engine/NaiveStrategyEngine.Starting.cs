using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NaiveStrategy.Engine;
using NaiveStrategy.Reactive;

namespace NaiveStrategy;

// Starting: which symbols a start brings up, trying again with backoff those the exchange cannot start yet, and the
// readiness it reports meanwhile.
public sealed partial class NaiveStrategyEngine
{
    // The symbols a start brings up, in order: saved ones first (resumed), then the configured ones that are on.
    private List<(string Symbol, Func<CancellationToken, Task> Start)> PlanStart()
    {
        var steps = new List<(string Symbol, Func<CancellationToken, Task> Start)>();
        var restored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var saved in (_store?.Load() ?? []).Select(s => s.ToStoredSymbol()))
        {
            // A symbol a guard stopped is restored as it is (off, its guard shown), never autostarted: only an operator starts it again.
            if (saved.Status == SymbolStatus.Off && saved.Traders.Count == 0 && saved.Guard?.Fired is null)
            {
                continue;
            }

            var settings = _options.Symbols.FirstOrDefault(s => string.Equals(s.Symbol, saved.Settings.Symbol, StringComparison.Ordinal)) ?? saved.Settings;
            steps.Add((settings.Symbol, ct => RestoreAsync(settings, saved, ct)));
            restored.Add(settings.Symbol);
        }

        foreach (var settings in _options.Symbols.Where(s => s.Status == SymbolStatus.On && !restored.Contains(s.Symbol)))
        {
            steps.Add((settings.Symbol, ct => StartTradingAsync(settings, ct)));
        }

        return steps;
    }

    private async Task KeepStartingAsync(List<(string Symbol, Func<CancellationToken, Task> Start)> pending, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        var waiting = pending.ToDictionary(s => s.Symbol, _ => "starting", StringComparer.Ordinal);
        Report(waiting);
        for (var attempt = 1; ; attempt++)
        {
            var failed = new List<(string Symbol, Func<CancellationToken, Task> Start)>();
            foreach (var step in pending)
            {
                try
                {
                    await step.Start(token);
                    waiting.Remove(step.Symbol);
                    if (attempt > 1)
                    {
                        Log.StartRecovered(_logger, step.Symbol, attempt);
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    waiting[step.Symbol] = ex.Message;
                    failed.Add(step);
                }
            }

            Report(waiting);
            if (failed.Count == 0)
            {
                return;
            }

            var delay = Backoff.Delay(_options, attempt);
            foreach (var step in failed)
            {
                Log.StartRetrying(_logger, step.Symbol, waiting[step.Symbol], attempt, delay);
            }

            try
            {
                await Task.Delay(delay, _time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pending = failed;
        }
    }

    private void Report(Dictionary<string, string> waiting)
    {
        SetReadiness(new EngineReadiness
        {
            Status = waiting.Count == 0 ? EngineReadinessStatus.Ready : EngineReadinessStatus.Starting,
            Waiting = new Dictionary<string, string>(waiting, StringComparer.Ordinal),
        });
    }

    private void SetReadiness(EngineReadiness readiness)
    {
        lock (_gate)
        {
            if (_readiness.Status == EngineReadinessStatus.Stopped || _readiness == readiness)
            {
                return;
            }

            _readiness = readiness;
        }

        ReadinessChanged?.Invoke(this, WithHealth(readiness));
    }

    // The start's readiness with the streams that are down and the store's last failure, as they are now.
    private EngineReadiness WithHealth(EngineReadiness readiness)
    {
        var now = _time.GetUtcNow();
        var grace = (_options.MaxRetryDelay * 2) + TimeSpan.FromSeconds(10);
        var down = new List<string>();
        foreach (var pipeline in _symbols.Values.OrderBy(p => p.Symbol, StringComparer.Ordinal))
        {
            foreach (var stream in pipeline.StreamsDown(now, grace))
            {
                down.Add($"{pipeline.Symbol} {(stream == StrategyStream.MarketTrades ? "market trades" : "order updates")}");
            }
        }

        var storeError = _storeHealth.Error;
        return down.Count == 0 && storeError is null ? readiness : readiness with { StreamsDown = down, StoreError = storeError };
    }

    // A transient failure (rate limit, connection) is retried with backoff; anything else stops the start.
    private async Task<SymbolFilters> GetFiltersAsync(string symbol, string what, CancellationToken cancellationToken)
    {
        var filters = await _filtersRetry.ExecuteAsync(static (s, ct) => s.Exchange.GetSymbolFiltersAsync(s.Symbol, ct), (Exchange: _exchange, Symbol: symbol), cancellationToken);
        if (!filters.IsSuccess)
        {
            throw new InvalidOperationException($"Cannot {what} {symbol}: the exchange did not give its filters ({filters.Error}).");
        }

        filters.Value.Validate();
        return filters.Value;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Mock;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Sample;

/// <summary>One simulated run: a DI container with the engine on an in-memory exchange, and its backtest session.</summary>
internal sealed class Simulation : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private Simulation(ServiceProvider provider, BacktestSession session, SymbolSettings settings)
    {
        _provider = provider;
        Session = session;
        Settings = settings;
    }

    public BacktestSession Session { get; }

    public SymbolSettings Settings { get; }

    /// <summary>
    /// Builds a run trading <paramref name="settings"/> on every symbol of <paramref name="filters"/>, each with its own budget;
    /// with <paramref name="partialFills"/> each market trade fills crossing orders only up to its own quantity.
    /// </summary>
    public static async Task<Simulation> StartAsync(SymbolSettings settings, IReadOnlyList<SymbolFilters> filters, DateTimeOffset start, LogLevel logLevel, TimeSpan? equitySampling, bool partialFills, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSampleConsole(logLevel));
        services.AddNaiveStrategy(o =>
            {
                foreach (var f in filters)
                {
                    o.Symbols.Add(settings with { Symbol = f.Symbol });
                }
            })
            .AddMockExchange(
                o =>
                {
                    foreach (var f in filters)
                    {
                        o.Symbols.Add(f);
                        o.Balances[f.QuoteAsset] = o.Balances.TryGetValue(f.QuoteAsset, out var b) ? b + settings.Budget : settings.Budget;
                    }

                    o.FeeRate = settings.FeeRate;
                    o.StartTime = start;
                    o.PartialFills = partialFills;
                },
                useMarketClock: true);
        var provider = services.BuildServiceProvider();
        var session = new BacktestSession(provider.GetRequiredService<NaiveStrategyEngine>(), provider.GetRequiredService<InMemoryExchange>(), equitySampling);
        await session.StartAsync(cancellationToken);
        return new Simulation(provider, session, settings);
    }

    /// <summary>
    /// Replays the trades into every simulation: one reads the source once; with several, batches are
    /// replayed into all simulations in parallel on every core, so the data is read once whatever the grid size.
    /// </summary>
    public static void ReplayAll(IEnumerable<TradeEvent> trades, IReadOnlyList<Simulation> simulations, Action<long>? progress, CancellationToken cancellationToken)
    {
        long count = 0;
        if (simulations.Count == 1)
        {
            var session = simulations[0].Session;
            foreach (var trade in trades)
            {
                session.Replay(trade);
                if ((++count & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Invoke(count);
                }
            }

            progress?.Invoke(count);
            return;
        }

        var batch = new TradeEvent[65_536];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        using var e = trades.GetEnumerator();
        while (true)
        {
            var n = 0;
            while (n < batch.Length && e.MoveNext())
            {
                batch[n++] = e.Current;
            }

            if (n == 0)
            {
                break;
            }

            Parallel.ForEach(simulations, parallel, s => s.Session.Replay(batch.AsSpan(0, n)));
            count += n;
            progress?.Invoke(count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Session.Dispose();
        await _provider.DisposeAsync();
    }
}

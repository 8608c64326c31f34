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
    /// Replays the trades into every simulation, the data read once whatever the grid size. With
    /// <paramref name="threads"/> &gt; 1 the file is read and parsed on a reader thread while the simulations
    /// run (<see cref="TradePipe"/>), and several simulations replay each batch in parallel on up to
    /// <paramref name="threads"/> cores; with 1, everything runs on this thread, one batch after another.
    /// Each simulation sees the same trades in the same order either way, so the results are identical.
    /// </summary>
    public static void ReplayAll(IEnumerable<TradeEvent> trades, IReadOnlyList<Simulation> simulations, int threads, Action<long>? progress, CancellationToken cancellationToken)
    {
        long count = 0;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Math.Max(1, threads) };
        void Handle(ReadOnlyMemory<TradeEvent> batch)
        {
            if (simulations.Count == 1 || threads <= 1)
            {
                foreach (var simulation in simulations)
                {
                    simulation.Session.Replay(batch.Span);
                }
            }
            else
            {
                Parallel.ForEach(simulations, parallel, s => s.Session.Replay(batch.Span));
            }

            count += batch.Length;
            progress?.Invoke(count);
        }

        // A sweep's batches are larger: every batch costs one fork and join of the settings over the cores.
        var (batchSize, depth) = simulations.Count > 1 ? (32_768, 3) : (TradePipe.DefaultBatchSize, TradePipe.DefaultDepth);
        if (threads > 1)
        {
            TradePipe.Run(trades, Handle, batchSize, depth, cancellationToken);
        }
        else
        {
            TradePipe.RunSequential(trades, Handle, batchSize, cancellationToken);
        }

        progress?.Invoke(count);
    }

    public async ValueTask DisposeAsync()
    {
        Session.Dispose();
        await _provider.DisposeAsync();
    }
}

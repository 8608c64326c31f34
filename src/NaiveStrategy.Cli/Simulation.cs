using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Mock;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Cli;

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
    /// Builds a run trading <paramref name="settings"/> on every symbol of <paramref name="filters"/>, each with its own budget,
    /// on one account funded with the sum of the budgets per quote asset; with <paramref name="partialFills"/> each market
    /// trade fills crossing orders only up to its own quantity. With <paramref name="only"/>, the run trades that symbol
    /// alone (its own engine and exchange, its session skipping the other symbols' trades) on an account funded as the
    /// shared one: funds never bind (a symbol commits at most its budget), so the runs of the symbols combined
    /// (<see cref="BacktestResult.Combine"/>) are the shared run. The exchange charges the settings' fee rate on maker
    /// fills and <paramref name="takerFeeRate"/> (null: the same) on taker fills. <paramref name="configure"/> changes the
    /// engine's options further (the account-wide guard).
    /// </summary>
    public static async Task<Simulation> StartAsync(SymbolSettings settings, IReadOnlyList<SymbolFilters> filters, DateTimeOffset start, LogLevel logLevel, TimeSpan? equitySampling, bool partialFills, SymbolFilters? only, decimal? takerFeeRate, Action<NaiveStrategyOptions>? configure, CancellationToken cancellationToken)
    {
        IReadOnlyList<SymbolFilters> traded = only is null ? filters : [only];
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSampleConsole(logLevel));
        services.AddNaiveStrategy(o =>
            {
                foreach (var f in traded)
                {
                    o.Symbols.Add(settings with { Symbol = f.Symbol });
                }

                configure?.Invoke(o);
            })
            .AddMockExchange(
                o =>
                {
                    foreach (var f in traded)
                    {
                        o.Symbols.Add(f);
                    }

                    foreach (var f in filters)
                    {
                        o.Balances[f.QuoteAsset] = o.Balances.TryGetValue(f.QuoteAsset, out var b) ? b + settings.Budget : settings.Budget;
                    }

                    o.FeeRate = settings.FeeRate;
                    o.TakerFeeRate = takerFeeRate ?? settings.FeeRate;
                    o.StartTime = start;
                    o.PartialFills = partialFills;
                },
                useMarketClock: true);
        var provider = services.BuildServiceProvider();
        var session = new BacktestSession(provider.GetRequiredService<NaiveStrategyEngine>(), provider.GetRequiredService<InMemoryExchange>(), equitySampling, only?.Symbol);
        await session.StartAsync(cancellationToken);
        return new Simulation(provider, session, settings);
    }

    /// <summary>
    /// Replays the trades into every simulation, the data read once whatever the grid size. With
    /// <paramref name="threads"/> &gt; 1 the file is read and parsed on a reader thread while the simulations
    /// run (<see cref="TradePipe"/>), and several simulations replay each batch in parallel on up to
    /// <paramref name="threads"/> cores (a sweep's settings, or a backtest's symbols each with its own engine); with 1,
    /// everything runs on this thread, one batch after another. Each simulation sees the same trades in the same order
    /// either way, so the results are identical. With <paramref name="skip"/>, each batch is indexed once
    /// (<see cref="TradePipe.RunIndexed"/>: one symbol's catalog on its columns, without building every trade) and
    /// every simulation jumps over the trades that change nothing for it, with the same result to the byte
    /// (<c>--no-skip</c> replays every trade).
    /// </summary>
    public static void ReplayAll(IEnumerable<TradeEvent> trades, IReadOnlyList<Simulation> simulations, int threads, Action<long>? progress, bool skip, CancellationToken cancellationToken)
    {
        long count = 0;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Math.Max(1, threads) };
        void Each(Action<BacktestSession> replay)
        {
            if (simulations.Count == 1 || threads <= 1)
            {
                foreach (var simulation in simulations)
                {
                    replay(simulation.Session);
                }
            }
            else
            {
                Parallel.ForEach(simulations, parallel, s => replay(s.Session));
            }
        }

        void Handled(int trades)
        {
            count += trades;
            progress?.Invoke(count);
        }

        // Several simulations' batches are larger: every batch costs one fork and join of the simulations over the cores.
        var (batchSize, depth) = simulations.Count > 1 ? (32_768, 3) : (TradePipe.DefaultBatchSize, TradePipe.DefaultDepth);
        if (skip)
        {
            // A catalog is indexed on its columns, a row group at a time; trade files in batches of trades.
            TradePipe.RunIndexed(trades, index =>
            {
                Each(session => session.Replay(index));
                Handled(index.Count);
            }, batchSize, depth, sequential: threads <= 1, cancellationToken);
        }
        else
        {
            void Handle(ReadOnlyMemory<TradeEvent> batch)
            {
                Each(session => session.Replay(batch.Span));
                Handled(batch.Length);
            }

            if (threads > 1)
            {
                TradePipe.Run(trades, Handle, batchSize, depth, cancellationToken);
            }
            else
            {
                TradePipe.RunSequential(trades, Handle, batchSize, cancellationToken);
            }
        }

        progress?.Invoke(count);
    }

    public async ValueTask DisposeAsync()
    {
        Session.Dispose();
        await _provider.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Backtesting.PublicData;
using Spectre.Console;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Cli;

/// <summary><c>backtest</c> and <c>sweep</c> on the in-memory exchange, and their reports.</summary>
public static partial class CliApp
{
    private static async Task<int> BacktestAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var cl = new CommandLine("backtest", args);
        var (trades, filters) = Market(cl);
        var grid = SettingsGrid.Parse(cl, filters[0].Symbol);
        if (grid.Count != 1)
        {
            throw new UsageException("backtest takes one value per setting; use sweep for lists and ranges.");
        }

        var settings = grid[0];
        var threads = Threads(cl);
        var level = ParseLevel(cl.String("log-level") ?? "Information");
        var plotPath = cl.String("plot");
        var stopwatch = Stopwatch.StartNew();
        var start = FirstTradeTime(trades);
        var sampling = plotPath is null ? (TimeSpan?)null : TimeSpan.FromMinutes(1);

        // Several symbols on several threads: one engine and exchange per symbol, replaying the batches in parallel;
        // each account is funded as the shared one, so funds never bind and the combined result is the shared run's.
        // The account-wide guard watches every symbol at once: one engine.
        IReadOnlyList<SymbolFilters?> runs = threads > 1 && filters.Count > 1 && AccountGuardOption.Read(cl) is null ? [.. filters] : [null];
        var simulations = new List<Simulation>();
        BacktestResult result;
        try
        {
            foreach (var only in runs)
            {
                simulations.Add(await Simulation.StartAsync(settings, filters, start, level, sampling, cl.Has(PartialFillsFlag), only, Fees.TakerFee(cl), o => AccountGuardOption.Apply(cl, o), cancellationToken));
            }

            await WithProgressAsync(output, error, trades, progress => Simulation.ReplayAll(trades, simulations, threads, progress, !cl.Has(NoSkipFlag), cancellationToken));
            result = simulations.Count == 1 ? simulations[0].Session.Complete() : BacktestResult.Combine(simulations.Select(s => s.Session.Complete()));
        }
        finally
        {
            foreach (var simulation in simulations)
            {
                await simulation.DisposeAsync();
            }
        }

        stopwatch.Stop();
        if (cl.String("orders-out") is { } ordersPath)
        {
            OrdersCsv.Write(ordersPath, result.Journal, symbol => filters.First(f => f.Symbol == symbol));
        }

        if (cl.String("json") is { } jsonPath)
        {
            await File.WriteAllTextAsync(jsonPath, result.ToJson() + "\n", cancellationToken);
        }

        if (plotPath is not null)
        {
            EquityPlot.Save(plotPath, result);
        }

        output.WriteLine();
        output.WriteLine($"Backtest over {Describe(trades)}");
        ReportSkipped(output, trades);
        ReportWriter.Backtest(output, settings, result);
        WriteSpeed(output, result.TradesReplayed, stopwatch.Elapsed);
        var refused = ReportRefusals(error, result.Refusals);
        return Math.Max(refused, ReportCrashes(error, result.TradersCrashed, 1));
    }

    // Settings that cannot trade were refused before any order: the run is not a result of those settings (exit 1).
    internal static int ReportRefusals(TextWriter error, IReadOnlyList<string> refusals)
    {
        foreach (var refusal in refusals)
        {
            error.WriteLine($"error: {refusal}");
        }

        return refusals.Count == 0 ? 0 : 1;
    }

    private static async Task<int> SweepAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var cl = new CommandLine("sweep", args);
        var (trades, filters) = Market(cl);
        var grid = SettingsGrid.Parse(cl, filters[0].Symbol);
        var threads = Threads(cl);
        if (cl.Has("cluster"))
        {
            return await ClusterSweep.RunAsync(cl, trades, filters, grid, threads, output, error, cancellationToken);
        }

        if (cl.Has("redis") || cl.Has("redis-wait") || cl.Has("cluster-id"))
        {
            throw new UsageException("--redis, --redis-wait and --cluster-id go with --cluster.");
        }

        var stopwatch = Stopwatch.StartNew();
        if (cl.Has(WalkForward.Option) || cl.Has(WalkForward.RankOption))
        {
            return await WalkForward.RunAsync(cl, trades, filters, grid, threads, output, cancellationToken);
        }

        var level = cl.Get("log-level", LogLevel.None);
        var runs = await SimulateAsync(trades, filters, grid, threads, cl.Has(PartialFillsFlag), replay => WithProgressAsync(output, error, trades, replay), !cl.Has(NoSkipFlag), level, cancellationToken);
        stopwatch.Stop();
        return WriteSweep(output, error, trades, (trades.Diagnostics.SkippedSummary, trades.Diagnostics.Messages), runs, stopwatch.Elapsed);
    }

    /// <summary>
    /// Runs each of <paramref name="grid"/>'s settings over <paramref name="trades"/>, read once for all (on up to
    /// <paramref name="threads"/> cores); <paramref name="withProgress"/> runs the replay it is given, reporting progress or not.
    /// </summary>
    internal static async Task<List<(SymbolSettings Settings, BacktestResult Result)>> SimulateAsync(TradeFileSet trades, IReadOnlyList<SymbolFilters> filters, IReadOnlyList<SymbolSettings> grid, int threads, bool partialFills, Func<Action<Action<long>>, Task> withProgress, bool skip, LogLevel level, CancellationToken cancellationToken)
    {
        var start = FirstTradeTime(trades);
        var simulations = new List<Simulation>();
        try
        {
            foreach (var settings in grid)
            {
                simulations.Add(await Simulation.StartAsync(settings, filters, start, level, null, partialFills, null, null, null, cancellationToken));
            }

            await withProgress(progress => Simulation.ReplayAll(trades, simulations, threads, progress, skip, cancellationToken));
            return [.. simulations.Select(s => (s.Settings, s.Session.Complete()))];
        }
        finally
        {
            foreach (var simulation in simulations)
            {
                await simulation.DisposeAsync();
            }
        }
    }

    /// <summary>A sweep's report: what was read, the ranking, the speed; exit code 1 when a trader crashed.</summary>
    internal static int WriteSweep(TextWriter output, TextWriter error, TradeFileSet trades, (string? Summary, IReadOnlyList<string> Messages) skipped, IReadOnlyList<(SymbolSettings Settings, BacktestResult Result)> runs, TimeSpan elapsed)
    {
        output.WriteLine($"Sweep of {runs.Count.ToString(CultureInfo.InvariantCulture)} settings over {Describe(trades)}, ranked by total PnL:");
        ReportSkipped(output, skipped.Summary, skipped.Messages);
        ReportWriter.Sweep(output, runs);
        WriteSpeed(output, runs.Count == 0 ? 0 : runs[0].Result.TradesReplayed * runs.Count, elapsed, "combination-trades/s");
        return ReportCrashes(error, runs.Sum(r => r.Result.TradersCrashed), runs.Count(r => r.Result.TradersCrashed > 0));
    }

    // A trader that threw lost the input it was handling: the figures are not those of the strategy, so the
    // run must not look like a success (exit 1), even though the report is printed.
    internal static int ReportCrashes(TextWriter error, int crashes, int runs)
    {
        if (crashes == 0)
        {
            return 0;
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: traders crashed {crashes} time(s){(runs > 1 ? $" in {runs} settings" : "")}; each crash is logged with its exception (--log-level Error): the figures above are not to be trusted."));
        return 1;
    }

    private static string Describe(TradeFileSet trades) =>
        (trades.Files.Count == 1 ? DataCommands.FileName(trades.Files[0]) : $"{trades.Files.Count.ToString(CultureInfo.InvariantCulture)} files ({string.Join(", ", trades.Symbols)})")
        + (trades.Kinds.Contains(TradeFileKind.AggTrades) ? $" ({string.Join(" and ", trades.Kinds.Select(DataCommands.KindName))})" : "");

    private static void ReportSkipped(TextWriter output, TradeFileSet trades) => ReportSkipped(output, trades.Diagnostics.SkippedSummary, trades.Diagnostics.Messages);

    private static void ReportSkipped(TextWriter output, string? skippedSummary, IReadOnlyList<string> messages)
    {
        if (skippedSummary is not null)
        {
            output.WriteLine($"{skippedSummary}; first: {string.Join(" | ", messages)}");
        }
    }

    private static (string Base, string Quote) SplitSymbol(string symbol)
    {
        foreach (var quote in new[] { "USDT", "USDC", "FDUSD", "BUSD", "TUSD", "BTC", "ETH", "BNB", "EUR", "TRY" })
        {
            if (symbol.Length > quote.Length && symbol.EndsWith(quote, StringComparison.Ordinal))
            {
                return (symbol[..^quote.Length], quote);
            }
        }

        throw new UsageException($"cannot tell the quote asset of {symbol}; pass filters from an exchangeInfo file.");
    }

    // The replay runs on market time from the first trade: trader ids and timestamps do not depend on the wall clock.
    // No trade at all (every line skipped) is an error: a report of nothing would look like a quiet market.
    private static DateTimeOffset FirstTradeTime(TradeFileSet trades)
    {
        foreach (var trade in trades)
        {
            return trade.Time;
        }

        throw new InvalidOperationException($"no trades to replay in {Describe(trades)}: {trades.Diagnostics.SkippedSummary ?? "no line was read"}.");
    }

    private static async Task WithProgressAsync(TextWriter output, TextWriter error, TradeFileSet trades, Action<Action<long>> replay)
    {
        var total = Math.Max(1, trades.TotalBytes);
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(ctx =>
                {
                    var name = Describe(trades);
                    var task = ctx.AddTask(name, maxValue: total);
                    var watch = Stopwatch.StartNew();
                    replay(n =>
                    {
                        task.Description = $"{name} {(n / Math.Max(watch.Elapsed.TotalSeconds, 1e-9)).ToString("N0", CultureInfo.InvariantCulture)} events/s";
                        task.Value = Math.Min(trades.Diagnostics.BytesRead, total - 1);
                    });
                    task.Value = total;
                    return Task.CompletedTask;
                });
            return;
        }

        var clock = Stopwatch.StartNew();
        var next = TimeSpan.FromSeconds(2);
        replay(n =>
        {
            if (clock.Elapsed >= next)
            {
                next = clock.Elapsed + TimeSpan.FromSeconds(2);
                var done = (double)trades.Diagnostics.BytesRead / total;
                var eta = done > 0 ? TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds * (1 - done) / done) : TimeSpan.Zero;
                error.WriteLine($"replayed {n.ToString("N0", CultureInfo.InvariantCulture)} trades, {(done * 100).ToString("0", CultureInfo.InvariantCulture)} % ({(n / clock.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)}/s, ETA {eta:hh\\:mm\\:ss})");
            }
        });
    }

    private static void WriteSpeed(TextWriter output, long events, TimeSpan elapsed, string unit = "events/s")
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        output.WriteLine($"wall time {seconds.ToString("0.000", CultureInfo.InvariantCulture)} s, {(events / seconds).ToString("N0", CultureInfo.InvariantCulture)} {unit}");
    }

    // --threads N: 1 keeps everything on one thread; more reads on one thread while the strategy runs (and a
    // sweep's settings replay) on the others. Default: every core.
    private static int Threads(CommandLine cl) => (int)cl.Whole("threads", Environment.ProcessorCount, 1, 1024);
}

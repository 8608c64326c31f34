using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Cli;

/// <summary>
/// <c>sweep --walk-forward TRAIN:TEST</c>: rolling windows of market time. On each training window every setting runs
/// and the best by <c>--rank-by</c> is picked; the following test window (out of sample) shows what that choice
/// earned, and where the in-sample winner ranks among all settings there. The trades are read once into memory and
/// indexed once (<see cref="TradeIndex"/>); every (window, setting) run is its own engine, on every core.
/// </summary>
internal static class WalkForward
{
    public const string Option = "walk-forward";

    public const string RankOption = "rank-by";

    /// <summary>The share of the settings that makes the top of a test window's ranking.</summary>
    public const decimal TopShare = 0.10m;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The metric the settings are ranked by.</summary>
    public enum Rank
    {
        /// <summary>Total PnL (realized and marked), summed over the symbols.</summary>
        Pnl,

        /// <summary>The strategy's return divided by its largest drawdown fraction (floored at 0.0001).</summary>
        ReturnOverDrawdown,

        /// <summary>Mean over standard deviation of the daily returns of marked equity, × √365.</summary>
        Sharpe,
    }

    /// <summary>One window: where its training and test trades are in the history.</summary>
    public sealed record Window(int Number, DateTimeOffset TrainFrom, DateTimeOffset TestFrom, DateTimeOffset TestTo, (int Start, int Count) Train, (int Start, int Count) Test);

    /// <summary>A run's figures: what ranking and the report need.</summary>
    /// <param name="Refused">The settings were refused before any order (a leg cannot pass the filters): ranked last.</param>
    public readonly record struct Figures(decimal Pnl, decimal MaxDrawdown, decimal Score, bool Refused);

    /// <summary>One window's outcome.</summary>
    public sealed record WindowResult(Window Window, int Winner, Figures InSample, Figures OutOfSample, int OutOfSampleRank, int Settings, int Refused)
    {
        public bool InTop => OutOfSampleRank <= TopCount(Settings);
    }

    public static int TopCount(int settings) => Math.Max(1, (int)Math.Ceiling(settings * TopShare));

    /// <summary><c>7d:1d</c>, <c>12h:2h</c>, <c>90m:30m</c>: the training and the test window, both &gt; 0.</summary>
    public static (TimeSpan Train, TimeSpan Test) ParseWindows(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 2 || Duration(parts[0]) is not { } train || Duration(parts[1]) is not { } test)
        {
            throw new UsageException($"--{Option} '{text}' must be TRAIN:TEST durations of market time, e.g. 7d:1d (units s, m, h, d; each above 0).");
        }

        return (train, test);
    }

    public static Rank ParseRank(string? text) => text?.ToLowerInvariant() switch
    {
        null or "pnl" => Rank.Pnl,
        "return-over-drawdown" => Rank.ReturnOverDrawdown,
        "sharpe" => Rank.Sharpe,
        _ => throw new UsageException($"--{RankOption} '{text}' must be pnl, return-over-drawdown or sharpe."),
    };

    public static string Describe(Rank rank) => rank switch
    {
        Rank.ReturnOverDrawdown => "return-over-drawdown",
        Rank.Sharpe => "sharpe",
        _ => "pnl",
    };

    /// <summary>The rolling windows over trades from <paramref name="first"/> to <paramref name="last"/>: only whole test windows.</summary>
    public static List<Window> Windows(IReadOnlyList<TradeEvent> trades, TimeSpan train, TimeSpan test)
    {
        var windows = new List<Window>();
        if (trades.Count == 0)
        {
            return windows;
        }

        var (first, last) = (trades[0].Time, trades[^1].Time);
        for (var from = first; from + train + test <= last + TimeSpan.FromTicks(1); from += test)
        {
            var (testFrom, testTo) = (from + train, from + train + test);
            var (a, b, c) = (Find(trades, from), Find(trades, testFrom), Find(trades, testTo));
            windows.Add(new Window(windows.Count + 1, from, testFrom, testTo, (a, b - a), (b, c - b)));
        }

        return windows;
    }

    public static async Task<int> RunAsync(CommandLine cl, TradeFileSet trades, IReadOnlyList<SymbolFilters> filters, IReadOnlyList<SymbolSettings> grid, int threads, TextWriter output, CancellationToken cancellationToken)
    {
        if (cl.String(Option) is not { } windowText)
        {
            throw new UsageException($"--{RankOption} goes with --{Option} TRAIN:TEST (the sweep's own table is ranked by total PnL).");
        }

        var (train, test) = ParseWindows(windowText);
        var rank = ParseRank(cl.String(RankOption));
        var stopwatch = Stopwatch.StartNew();
        var history = trades.ToList();
        var windows = Windows(history, train, test);
        if (windows.Count == 0)
        {
            var span = history.Count == 0 ? TimeSpan.Zero : history[^1].Time - history[0].Time;
            throw new UsageException($"--{Option} {windowText}: the trades span {span.ToString("g", Inv)}, less than one training and one test window.");
        }

        var results = await RunWindowsAsync(history, filters, grid, windows, rank, threads, cl.Has(CliApp.PartialFillsFlag), !cl.Has(CliApp.NoSkipFlag), cancellationToken);
        stopwatch.Stop();
        Write(output, trades, grid, train, test, rank, results, history.Count, stopwatch.Elapsed);
        return 0;
    }

    /// <summary>Every setting on every window's training and test trades (in parallel), then each window's winner and its rank out of sample.</summary>
    public static async Task<IReadOnlyList<WindowResult>> RunWindowsAsync(IReadOnlyList<TradeEvent> history, IReadOnlyList<SymbolFilters> filters, IReadOnlyList<SymbolSettings> grid, IReadOnlyList<Window> windows, Rank rank, int threads, bool partialFills, bool skip, CancellationToken cancellationToken)
    {
        var array = history as TradeEvent[] ?? [.. history];
        var index = new TradeIndex(array);
        var sampling = rank == Rank.Sharpe ? TimeSpan.FromDays(1) : (TimeSpan?)null;
        var figures = new Figures[windows.Count, 2, grid.Count];
        var jobs = from w in Enumerable.Range(0, windows.Count) from phase in Enumerable.Range(0, 2) from s in Enumerable.Range(0, grid.Count) select (w, phase, s);
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken }, async (job, token) =>
        {
            var window = windows[job.w];
            var (start, count) = job.phase == 0 ? window.Train : window.Test;
            var settings = grid[job.s];
            var from = job.phase == 0 ? window.TrainFrom : window.TestFrom;
            await using var simulation = await Simulation.StartAsync(settings, filters, from, LogLevel.None, sampling, partialFills, null, null, null, token);
            if (skip)
            {
                simulation.Session.Replay(index, start, count);
            }
            else
            {
                simulation.Session.Replay(array.AsSpan(start, count));
            }

            figures[job.w, job.phase, job.s] = Measure(simulation.Session.Complete(), settings, rank);
        });

        var results = new List<WindowResult>();
        for (var w = 0; w < windows.Count; w++)
        {
            var inSample = Ranking(figures, w, 0, grid.Count);
            var outOfSample = Ranking(figures, w, 1, grid.Count);
            var winner = inSample[0];
            var refused = Enumerable.Range(0, grid.Count).Count(s => figures[w, 0, s].Refused);
            results.Add(new WindowResult(windows[w], winner, figures[w, 0, winner], figures[w, 1, winner], outOfSample.IndexOf(winner) + 1, grid.Count, refused));
        }

        return results;
    }

    /// <summary>A run's PnL, drawdown and ranking score.</summary>
    public static Figures Measure(BacktestResult result, SymbolSettings settings, Rank rank)
    {
        ArgumentNullException.ThrowIfNull(result);
        var symbols = result.Symbols;
        var pnl = symbols.Sum(s => s.TotalPnl);
        var drawdown = symbols.Count == 0 ? 0m : symbols.Max(s => s.MaxDrawdown);
        var budget = settings.Budget * Math.Max(1, symbols.Count);
        var score = rank switch
        {
            Rank.ReturnOverDrawdown => Math.Round(pnl / budget / Math.Max(0.0001m, symbols.Count == 0 ? 0m : symbols.Max(s => s.MaxDrawdownFraction)), 8),
            Rank.Sharpe => Sharpe(result, budget),
            _ => pnl,
        };
        return new Figures(pnl, drawdown, score, result.Refusals.Count > 0);
    }

    // Daily returns of the symbols' marked equity summed (each day's first mark, then the end), annualized over 365 days.
    private static decimal Sharpe(BacktestResult result, decimal budget)
    {
        var days = new SortedDictionary<long, decimal>();
        foreach (var (symbol, curve) in result.EquityCurves)
        {
            foreach (var point in curve)
            {
                var day = point.Time.UtcTicks / TimeSpan.TicksPerDay;
                days[day] = days.GetValueOrDefault(day) + point.Equity;
            }
        }

        var equities = days.Values.ToList();
        equities.Add(budget + result.Symbols.Sum(s => s.TotalPnl));
        var returns = new List<decimal>();
        for (var i = 1; i < equities.Count; i++)
        {
            if (equities[i - 1] > 0)
            {
                returns.Add((equities[i] / equities[i - 1]) - 1);
            }
        }

        if (returns.Count < 2)
        {
            return 0m;
        }

        var mean = returns.Average();
        var variance = returns.Sum(r => (r - mean) * (r - mean)) / (returns.Count - 1);
        var deviation = (decimal)Math.Sqrt((double)variance);
        return deviation == 0 ? 0m : Math.Round(mean / deviation * (decimal)Math.Sqrt(365), 6);
    }

    // Settings' indexes best first; ties keep the grid's order.
    private static List<int> Ranking(Figures[,,] figures, int window, int phase, int settings) =>
        [.. Enumerable.Range(0, settings).OrderBy(s => figures[window, phase, s].Refused).ThenByDescending(s => figures[window, phase, s].Score).ThenBy(s => s)];

    private static void Write(TextWriter output, TradeFileSet trades, IReadOnlyList<SymbolSettings> grid, TimeSpan train, TimeSpan test, Rank rank, IReadOnlyList<WindowResult> results, long tradeCount, TimeSpan elapsed)
    {
        output.WriteLine($"Walk-forward over {tradeCount.ToString("N0", Inv)} trades ({string.Join(", ", trades.Symbols)}): {grid.Count.ToString(Inv)} settings, train {Span(train)}, test {Span(test)}, rolling by {Span(test)}, ranked by {Describe(rank)}");
        output.WriteLine($"{"window",6}  {"train from",-16}  {"test from",-16}  {"winner (in sample)",-44}  {"in-sample",12}  {"out-of-sample",13}  {"OOS max DD",10}  {"OOS rank",9}");
        foreach (var r in results)
        {
            var w = r.Window;
            output.WriteLine($"{w.Number.ToString(Inv),6}  {Time(w.TrainFrom),-16}  {Time(w.TestFrom),-16}  {Setting(grid[r.Winner]),-44}  {Money(r.InSample.Pnl),12}  {Money(r.OutOfSample.Pnl),13}  {Money(r.OutOfSample.MaxDrawdown),10}  {$"{r.OutOfSampleRank.ToString(Inv)}/{r.Settings.ToString(Inv)}",9}");
        }

        var top = results.Count(r => r.InTop);
        var refused = results.Count == 0 ? 0 : results.Max(r => r.Refused);
        if (refused > 0)
        {
            output.WriteLine($"{refused.ToString(Inv)} of {grid.Count.ToString(Inv)} settings refused before any order (a leg cannot pass the filters): ranked last");
        }

        output.WriteLine($"in-sample PnL of the winners: {Money(results.Sum(r => r.InSample.Pnl))} over {results.Count.ToString(Inv)} training windows");
        output.WriteLine($"out-of-sample PnL: {Money(results.Sum(r => r.OutOfSample.Pnl))} over {results.Count.ToString(Inv)} test windows; worst test-window drawdown {Money(results.Max(r => r.OutOfSample.MaxDrawdown))}");
        output.WriteLine($"in-sample winner in the top {(TopShare * 100).ToString("0", Inv)} % ({TopCount(grid.Count).ToString(Inv)} of {grid.Count.ToString(Inv)}) out of sample: {top.ToString(Inv)} of {results.Count.ToString(Inv)} windows ({(100m * top / results.Count).ToString("0.#", Inv)} %)");
        output.WriteLine($"{(results.Count * 2L * grid.Count).ToString(Inv)} runs in {elapsed.TotalSeconds.ToString("0.00", Inv)} s");
    }

    private static string Setting(SymbolSettings s) =>
        $"chunks {s.Chunks.ToString(Inv)} buy-down {s.BuyDownInterval.ToString(Inv)} profit {s.ProfitInterval.ToString(Inv)} rebuy {s.RebuyInterval.ToString(Inv)}"
        + (s.RepricesStaleBuys ? $" wait {SettingsGrid.DescribeStaleBuyRule(s)}" : "");

    private static string Money(decimal value) => Math.Round(value, 4).ToString("0.0000", Inv);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Inv);

    private static string Span(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerDay == 0 ? $"{span.TotalDays.ToString(Inv)}d"
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? $"{span.TotalHours.ToString(Inv)}h"
        : span.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{span.TotalMinutes.ToString(Inv)}m"
        : $"{span.TotalSeconds.ToString(Inv)}s";

    private static TimeSpan? Duration(string part)
    {
        var text = part.Trim();
        var unit = text.Length > 1 ? text[^1] : ' ';
        long scale = unit switch
        {
            's' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMinute,
            'h' => TimeSpan.TicksPerHour,
            'd' => TimeSpan.TicksPerDay,
            _ => 0,
        };
        return scale > 0 && int.TryParse(text[..^1], NumberStyles.None, Inv, out var amount) && amount > 0 && amount <= 3650 * (TimeSpan.TicksPerDay / scale)
            ? TimeSpan.FromTicks(amount * scale)
            : null;
    }

    // The first trade at or after time (trades are in time order).
    private static int Find(IReadOnlyList<TradeEvent> trades, DateTimeOffset time)
    {
        var (lo, hi) = (0, trades.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (trades[mid].Time < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}

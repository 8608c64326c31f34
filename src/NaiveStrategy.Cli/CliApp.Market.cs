using System.Globalization;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Cli;

/// <summary><c>generate</c>, and the trades and symbol filters of <c>--trades</c> and the market options.</summary>
public static partial class CliApp
{
    private static int Generate(string[] args, TextWriter output)
    {
        var cl = new CommandLine("generate", args);
        var path = cl.String("out") ?? throw new UsageException("generate needs --out PATH (e.g. XRPUSDT-trades-2024-01-01.csv).");
        var options = new TradeFileGeneratorOptions
        {
            Count = cl.Whole("count", 100_000, 1, MaxGeneratedTrades),
            Seed = (int)cl.Whole("seed", 42, int.MinValue, int.MaxValue),
            StartPrice = cl.Decimal("start-price", 0.62m, PriceRange),
            TickSize = cl.Decimal("tick-size", 0.0001m, TickRange),
            StepSize = cl.Decimal("step-size", 1m, StepRange),
            Volatility = (double)cl.Decimal("volatility", 0.0002m, VolatilityRange),
        };
        if (cl.String("start") is { } start)
        {
            options.Start = ParseStart(start);
        }

        foreach (var drift in (cl.String("drift") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            options.Drifts.Add(decimal.TryParse(drift, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? (double)d : throw new UsageException($"--drift '{drift}' is not a number."));
            DriftRange.Check("drift", d);
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        using (var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16))
        {
            TradeFileGenerator.Write(writer, options);
        }

        output.WriteLine($"wrote {options.Count.ToString("N0", CultureInfo.InvariantCulture)} trades to {path}");
        return 0;
    }

    /// <summary><c>--start</c>: a date and time, UTC unless it says otherwise.</summary>
    internal static DateTimeOffset ParseStart(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new UsageException($"--start '{text}' is not a date, e.g. 2024-01-01T00:00:00Z.");

    internal static (TradeFileSet Trades, IReadOnlyList<SymbolFilters> Filters) Market(CommandLine cl)
    {
        var paths = cl.Strings("trades") is { Count: > 0 } given ? given : [BundledTrades];
        TradeFileSet trades;
        try
        {
            var (from, to) = DataCommands.Days(cl);
            trades = TradeFileReader.Open(paths, new TradeFileReaderOptions { Symbol = cl.String("symbol")?.ToUpperInvariant(), SkipBadLines = cl.Has("skip-bad-lines"), From = from, To = to });
        }
        catch (FileNotFoundException ex)
        {
            throw new UsageException($"--trades: {ex.Message}");
        }

        var (tick, step, minNotional) = (cl.Decimal("tick-size", 0.0001m, TickRange), cl.Decimal("step-size", 1m, StepRange), cl.Decimal("min-notional", 10m, MinNotionalRange));

        if (cl.String("exchange-info") is { } info)
        {
            IReadOnlyDictionary<string, SymbolFilters> listed;
            try
            {
                listed = NaiveStrategy.Binance.BinanceExchangeInfo.Load(info);
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                throw new UsageException($"--exchange-info '{info}': {ex.Message}");
            }

            return (trades, trades.Symbols.Select(symbol => listed.TryGetValue(symbol, out var f) ? f : throw new UsageException($"{symbol} is not listed in --exchange-info '{info}'.")).ToArray());
        }

        var filters = trades.Symbols.Select(symbol =>
        {
            var (baseAsset, quoteAsset) = SplitSymbol(symbol);
            return new SymbolFilters { Symbol = symbol, BaseAsset = baseAsset, QuoteAsset = quoteAsset, TickSize = tick, StepSize = step, MinNotional = minNotional };
        }).ToArray();
        return (trades, filters);
    }
}

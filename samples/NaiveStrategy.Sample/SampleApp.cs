using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Sample;

/// <summary>The sample console app: <c>backtest</c> (more modes come with the Binance adapter).</summary>
public static class SampleApp
{
    /// <summary>The data file used when <c>--trades</c> is not given (generated, see the README).</summary>
    public static readonly string BundledTrades = Path.Combine(AppContext.BaseDirectory, "data", "XRPUSDT-trades-2024-01-01.csv");

    private const string Usage = """
        usage: NaiveStrategy.Sample backtest [options]
          --trades PATH        Binance public-data trades file (.csv or .zip); default: the bundled sample
          --symbol S           symbol (default XRPUSDT; taken from the file name when it has one)
          --budget D           quote budget for the symbol (default 100)
          --chunks N           max traders in parallel (default 5)
          --buy-down D         buy_down_interval (default 0.0001)
          --profit D           profit_interval (default -0.0012)
          --rebuy D            rebuy_interval (default 0.001)
          --tick-size D        PRICE_FILTER tickSize (default 0.0001)
          --step-size D        LOT_SIZE stepSize (default 1)
          --min-notional D     NOTIONAL minNotional (default 10)
          --fee D              exchange fee rate (default 0.001)
          --orders-out PATH    write every order as CSV
          --log-level LEVEL    Trace, Debug, Information (default), Warning, Error, None
        """;

    /// <summary>Runs the app; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            return args switch
            {
                ["backtest", .. var rest] => await BacktestAsync(rest, output, cancellationToken),
                ["--help" or "-h" or "help", ..] => Help(output),
                [] => throw new UsageException("a command is required."),
                [var command, ..] => throw new UsageException($"unknown command '{command}'."),
            };
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            await error.WriteLineAsync(Usage);
            return 2;
        }
        catch (Exception ex) when (ex is TradeDataException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }

    private static async Task<int> BacktestAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var cl = new CommandLine(args,
            ["trades", "symbol", "budget", "chunks", "buy-down", "profit", "rebuy", "tick-size", "step-size", "min-notional", "fee", "orders-out", "log-level"],
            []);
        var path = cl.String("trades") ?? BundledTrades;
        var symbol = (cl.String("symbol") ?? TradeFiles.SymbolFromFileName(path) ?? "XRPUSDT").ToUpperInvariant();
        var defaults = new SymbolSettings { Symbol = symbol };
        var settings = defaults with
        {
            Status = SymbolStatus.On,
            Budget = cl.Decimal("budget", defaults.Budget),
            Chunks = cl.Int("chunks", defaults.Chunks),
            BuyDownInterval = cl.Decimal("buy-down", defaults.BuyDownInterval),
            ProfitInterval = cl.Decimal("profit", defaults.ProfitInterval),
            RebuyInterval = cl.Decimal("rebuy", defaults.RebuyInterval),
            FeeRate = cl.Decimal("fee", defaults.FeeRate),
        };
        var errors = settings.FindErrors();
        if (errors.Count > 0)
        {
            throw new UsageException(string.Join(" ", errors));
        }

        var filters = new SymbolFilters
        {
            Symbol = symbol,
            BaseAsset = symbol.EndsWith("USDT", StringComparison.Ordinal) ? symbol[..^4] : symbol[..^3],
            QuoteAsset = symbol.EndsWith("USDT", StringComparison.Ordinal) ? "USDT" : symbol[^3..],
            TickSize = cl.Decimal("tick-size", 0.0001m),
            StepSize = cl.Decimal("step-size", 1m),
            MinNotional = cl.Decimal("min-notional", 10m),
        };
        if (filters.TickSize <= 0 || filters.StepSize <= 0)
        {
            throw new UsageException($"--tick-size and --step-size must be > 0, got {filters.TickSize.ToString(CultureInfo.InvariantCulture)} and {filters.StepSize.ToString(CultureInfo.InvariantCulture)}.");
        }

        var level = ParseLevel(cl.String("log-level") ?? "Information");
        if (!File.Exists(path))
        {
            throw new UsageException($"--trades '{path}' does not exist.");
        }

        // The replay runs on market time from the first trade: trader ids and timestamps do not depend on the wall clock.
        var start = TradeFiles.Read(path, symbol).Select(t => t.Time).FirstOrDefault(DateTimeOffset.UnixEpoch);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(level).AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = false;
        }));
        services.AddNaiveStrategy(o => o.Symbols.Add(settings))
            .AddMockExchange(
                o =>
                {
                    o.Symbols.Add(filters);
                    o.Balances[filters.QuoteAsset] = settings.Budget;
                    o.FeeRate = settings.FeeRate;
                    o.StartTime = start;
                },
                useMarketClock: true);

        BacktestResult result;
        var stopwatch = Stopwatch.StartNew();
        await using (var provider = services.BuildServiceProvider())
        {
            using var session = new BacktestSession(provider.GetRequiredService<NaiveStrategyEngine>(), provider.GetRequiredService<InMemoryExchange>());
            await session.StartAsync(cancellationToken);
            foreach (var trade in TradeFiles.Read(path, symbol))
            {
                session.Replay(trade);
            }

            result = session.Complete();
        }

        stopwatch.Stop();
        var outPath = cl.String("orders-out");
        if (outPath is not null)
        {
            OrdersCsv.Write(outPath, result.Journal, _ => filters);
        }

        PrintSummary(output, path, settings, result, stopwatch.Elapsed);
        return 0;
    }

    private static void PrintSummary(TextWriter output, string path, SymbolSettings settings, BacktestResult result, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine($"Backtest of {Path.GetFileName(path)}: chunks {settings.Chunks}, budget {settings.Budget.ToString(inv)}, buy_down {settings.BuyDownInterval.ToString(inv)}, profit {settings.ProfitInterval.ToString(inv)}, rebuy {settings.RebuyInterval.ToString(inv)}");
        foreach (var s in result.Symbols)
        {
            output.WriteLine($"{s.Symbol}  {s.From:u} .. {s.To:u}");
            Line("trades replayed", s.TradesReplayed.ToString("N0", inv));
            Line("orders placed", s.OrdersPlaced.ToString(inv));
            Line("orders filled", s.OrdersFilled.ToString(inv));
            Line("orders canceled", s.OrdersCanceled.ToString(inv));
            Line("orders rejected", s.OrdersRejected.ToString(inv));
            Line("traders started", s.TradersStarted.ToString(inv));
            Line("max concurrent traders", s.MaxConcurrentTraders.ToString(inv));
            Line("cycles completed", s.CyclesCompleted.ToString(inv));
            Line("fees paid", Money(s.FeesPaid));
            Line("realized PnL (net)", Money(s.RealizedPnl));
            Line("open position", s.OpenPosition.ToString(inv) + " @ " + s.LastPrice.ToString(inv));
            Line("unrealized PnL", Money(s.UnrealizedPnl));
            Line("total PnL", Money(s.TotalPnl) + " (" + Percent(s.StrategyReturn) + " of budget)");
            Line("max drawdown", Money(s.MaxDrawdown) + " (" + Percent(s.MaxDrawdownFraction) + ")");
            Line("buy and hold", Percent(s.BuyAndHoldReturn));
        }

        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        Line("wall time", seconds.ToString("0.000", inv) + " s (" + (result.TradesReplayed / seconds).ToString("N0", inv) + " events/s)");

        void Line(string name, string value) => output.WriteLine($"  {name,-24}{value}");
        string Money(decimal value) => value.ToString("0.########", inv);
        string Percent(decimal fraction) => (fraction * 100).ToString("0.00", inv) + " %";
    }

    private static LogLevel ParseLevel(string text) =>
        Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new UsageException($"--log-level '{text}' is not one of {string.Join(", ", Enum.GetNames<LogLevel>())}.");
}

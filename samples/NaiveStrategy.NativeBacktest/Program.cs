using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using NaiveStrategy;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Binance;
using NaiveStrategy.Mock;

// A backtest compiled native (AOT): the same engine, exchange and session as the sample's `backtest`, without
// the JIT's start-up and tier-up (about a second per process): a short backtest does not wait for the runtime.
var defaults = new SymbolSettings { Symbol = "DEFAULT" };
var trades = new Option<string[]>("--trades") { Description = "Binance public trade files (csv or zip), directories or globs; several symbols merge by time", Required = true, AllowMultipleArgumentsPerToken = true };
var exchangeInfo = new Option<string?>("--exchange-info") { Description = "symbol filters from a Binance exchangeInfo JSON file (default: XRPUSDT's preset, for XRPUSDT only)" };
var budget = new Option<decimal>("--budget") { Description = "quote budget per symbol", DefaultValueFactory = _ => defaults.Budget };
var chunks = new Option<int>("--chunks") { Description = "traders per symbol at most", DefaultValueFactory = _ => defaults.Chunks };
var buyDown = new Option<decimal>("--buy-down") { Description = "buy_down_interval", DefaultValueFactory = _ => defaults.BuyDownInterval };
var profit = new Option<decimal>("--profit") { Description = "profit_interval", DefaultValueFactory = _ => defaults.ProfitInterval };
var rebuy = new Option<decimal>("--rebuy") { Description = "rebuy_interval", DefaultValueFactory = _ => defaults.RebuyInterval };
var fee = new Option<decimal>("--fee") { Description = "fee rate per fill", DefaultValueFactory = _ => defaults.FeeRate };
var json = new Option<string?>("--json") { Description = "write the report as JSON (the sample's `backtest --json`)" };
var root = new RootCommand("NaiveStrategy.NativeBacktest: replay trade files through the strategy, compiled native") { trades, exchangeInfo, budget, chunks, buyDown, profit, rebuy, fee, json };
root.SetAction(async (parsed, cancellationToken) =>
{
    try
    {
        var files = TradeFileReader.Open(parsed.GetValue(trades)!);
        var listed = parsed.GetValue(exchangeInfo) is { } info ? BinanceExchangeInfo.Load(info) : new Dictionary<string, SymbolFilters> { [SymbolFilterPresets.XrpUsdt.Symbol] = SymbolFilterPresets.XrpUsdt };
        var filters = files.Symbols.Select(s => listed.TryGetValue(s, out var f) ? f : throw new ArgumentException($"{s} has no filters: pass --exchange-info with a Binance exchangeInfo file that lists it.")).ToArray();
        var settings = defaults with
        {
            Budget = parsed.GetValue(budget), Chunks = parsed.GetValue(chunks), BuyDownInterval = parsed.GetValue(buyDown),
            ProfitInterval = parsed.GetValue(profit), RebuyInterval = parsed.GetValue(rebuy), FeeRate = parsed.GetValue(fee),
        };

        // Market time from the first trade, one account funded with the symbols' budgets (as the sample does).
        var first = files.FirstOrDefault();
        if (first.Symbol is null)
        {
            throw new ArgumentException("the trade files hold no trade.");
        }

        var exchangeOptions = new InMemoryExchangeOptions { FeeRate = settings.FeeRate, StartTime = first.Time };
        var options = new NaiveStrategyOptions();
        foreach (var f in filters)
        {
            exchangeOptions.Symbols.Add(f);
            exchangeOptions.Balances[f.QuoteAsset] = (exchangeOptions.Balances.TryGetValue(f.QuoteAsset, out var b) ? b : 0m) + settings.Budget;
            options.Symbols.Add(settings with { Symbol = f.Symbol });
        }

        var exchange = new InMemoryExchange(exchangeOptions);
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator(exchange.Clock), exchange.Clock);
        using var session = new BacktestSession(engine, exchange);
        await session.StartAsync(cancellationToken);
        TradePipe.Run(files, batch => session.Replay(batch.Span), cancellationToken: cancellationToken);
        var result = session.Complete();
        if (parsed.GetValue(json) is { } path)
        {
            await File.WriteAllTextAsync(path, result.ToJson() + "\n", cancellationToken);
        }

        var inv = CultureInfo.InvariantCulture;
        static string Amount(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
        foreach (var s in result.Symbols)
        {
            Console.WriteLine(string.Create(inv, $"{s.Symbol}: {s.TradesReplayed:N0} trades, orders placed {s.OrdersPlaced}, filled {s.OrdersFilled}, cycles {s.CyclesCompleted}, realized PnL {Amount(s.RealizedPnl)}, total PnL {Amount(s.TotalPnl)}"));
        }

        // The whole process, exec included: what a script running one backtest per file waits for.
        var elapsed = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.WriteLine(string.Create(inv, $"native backtest: {result.TradesReplayed:N0} trades in {elapsed.TotalSeconds:F3} s since the process started, {result.TradesReplayed / elapsed.TotalSeconds / 1e6:F2} M trades/s"));
        return result.TradersCrashed > 0 || result.Refusals.Count > 0 ? 1 : 0;
    }
    catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or FormatException or TradeFileFormatException or InvalidOperationException or OptionsValidationException)
    {
        await Console.Error.WriteLineAsync($"error: {ex.Message}");
        return 1;
    }
});

return await root.Parse(args).InvokeAsync();

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy;
using NaiveStrategy.Mock;

// The library in a console app, offline: services.AddNaiveStrategy() on the in-memory exchange, a few made-up trades,
// and what the traders did. The book's log lines go to the console.
var services = new ServiceCollection().AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true));
services.AddNaiveStrategy(o => o.AddSymbol("XRPUSDT", s => s with { Chunks = 2, Budget = 40m, BuyDownInterval = 0.001m, ProfitInterval = 0.002m, RebuyInterval = 0.01m }))
    .AddMockExchange(o =>
    {
        o.Symbols.Add(new SymbolFilters { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 10m });
        o.Balances["USDT"] = 40m;
    });
await using var provider = services.BuildServiceProvider();
var engine = provider.GetRequiredService<NaiveStrategyEngine>();
var exchange = provider.GetRequiredService<InMemoryExchange>();
await engine.StartAsync();

// Down far enough for a BUY to fill and a second trader to start, then up past every SELL.
decimal[] prices = [0.5000m, 0.4990m, 0.4940m, 0.4900m, 0.5100m, 0.5200m];
var time = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
for (var i = 0; i < prices.Length; i++)
{
    exchange.PublishTrade(new TradeEvent("XRPUSDT", i + 1, prices[i], 1_000m, time.AddSeconds(i)));
}

await engine.WaitUntilIdleAsync();
var state = engine.GetState("XRPUSDT")!;
Console.WriteLine($"traders running: {state.Traders.Count}, realized PnL: {state.RealizedPnl} USDT, free: {exchange.GetBalance("USDT").Free} USDT and {exchange.GetBalance("XRP").Free} XRP");

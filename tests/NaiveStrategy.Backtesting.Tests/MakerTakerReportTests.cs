using Microsoft.Extensions.Options;

using NaiveStrategy.Mock;
using static NaiveStrategy.Backtesting.Tests.SessionData;

namespace NaiveStrategy.Backtesting.Tests;

// Issue #24: the report counts maker and taker fills and their fees.
public sealed class MakerTakerReportTests
{
    [Fact]
    public async Task Complete_SellsBelowTheMarket_CountsTakerFillsAndTheirFeesApart()
    {
        // profit -0.005: every SELL is placed below the last trade, so it fills at once as taker; BUYs rest (maker).
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp }, Balances = { ["USDT"] = 100m }, MakerFeeRate = 0.001m, TakerFeeRate = 0.002m, StartTime = T0 });
        var options = new NaiveStrategyOptions();
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 2, Budget = 100m, BuyDownInterval = 0.002m, ProfitInterval = -0.005m, RebuyInterval = 0.01m });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("mt"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange);
        await session.StartAsync();
        var random = new Random(3);
        var price = 0.5m;
        for (var id = 1; id <= 2000; id++)
        {
            price = Math.Round(price * (1 + (((decimal)random.NextDouble() - 0.5m) * 0.004m)), 4);
            session.Replay(new TradeEvent("XRPUSDT", id, price, 1000m, T0.AddSeconds(id)));
        }

        var report = session.Complete().Symbols.Should().ContainSingle().Subject;
        var fills = new List<OrderFill>();
        foreach (var order in exchange.Orders.Where(o => o.ExecutedQuantity > 0))
        {
            fills.AddRange((await exchange.GetOrderFillsAsync("XRPUSDT", order.OrderId)).Value);
        }

        report.TakerFills.Should().BePositive().And.Be(fills.Count(f => !f.IsMaker));
        report.MakerFills.Should().BePositive().And.Be(fills.Count(f => f.IsMaker));
        fills.Where(f => !f.IsMaker).Should().OnlyContain(f => f.Commission == f.Quantity * f.Price * 0.002m, "a taker SELL pays 0.2 % of its quote");
        report.TakerFees.Should().Be(Math.Round(fills.Where(f => !f.IsMaker).Sum(f => f.Commission), 8));
        (report.MakerFees + report.TakerFees).Should().BeApproximately(report.FeesPaid, 0.00000002m);
    }
}

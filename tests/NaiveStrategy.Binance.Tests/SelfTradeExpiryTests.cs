using Microsoft.Extensions.Options;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Tests;

/// <summary>
/// Binance's default self-trade prevention (EXPIRE_MAKER, as its spot symbols list) expires our own resting order when
/// another of our orders meets it: status EXPIRED_IN_MATCH. The trader whose order expired ends instead of waiting on
/// a dead order, and the symbol trades on.
/// </summary>
public sealed class SelfTradeExpiryTests : SandboxServerTests
{
    private long _tradeId;

    [Fact]
    public async Task Engine_OwnSellExpiredInMatchByAnotherTradersBuy_ThatTraderEndsAndTheSymbolTradesOn()
    {
        await using var exchange = SandboxSetup.Exchange(Server, Key, Secret);
        var options = new NaiveStrategyOptions { RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(200) };
        // buy_down 0: a BUY at the trade's price, so the second trader's BUY can meet the first trader's SELL.
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 2, Budget = 100m, BuyDownInterval = 0m, ProfitInterval = 0.01m, RebuyInterval = 0.005m });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("stp"), TimeProvider.System);
        _ = engine.StartWithRetriesAsync();
        await Until(() => engine.Readiness.Status == EngineReadinessStatus.Ready);

        // Trader 1 BUYs at 1.0000 (sent again until the market stream is live); 0.9900 fills it and, below its rebuy
        // price (0.9950), starts trader 2; trader 1 SELLs 1 % and the fees above 1.0000.
        await Until(() => { Trade(1.0m); return Order(o => o.Side == OrderSide.Buy) is not null; });
        var first = engine.GetState("XRPUSDT")!.Traders[0].TraderId;
        Trade(0.99m);
        await Until(() => Order(o => o.Side == OrderSide.Sell) is { Status: OrderStatus.New } && engine.GetState("XRPUSDT")!.Traders.Count == 2);

        // A trade at the SELL's price (not through it: the SELL rests): trader 2 BUYs there and meets trader 1's SELL, which
        // EXPIRE_MAKER expires.
        var sellPrice = Order(o => o.Side == OrderSide.Sell)!.Price;
        Trade(sellPrice);
        await Until(() => Order(o => o.Side == OrderSide.Sell)?.Status == OrderStatus.Expired);

        await Until(() => engine.GetState("XRPUSDT")!.Traders.All(t => t.TraderId != first));
        var second = engine.GetState("XRPUSDT")!.Traders.Single(t => t.BuyOrder?.Price == sellPrice);
        Trade(sellPrice - 0.01m); // fills trader 2's BUY: it places its SELL
        await Until(() => Server.Exchange.Orders.Any(o => o.ClientOrderId.StartsWith(second.TraderId, StringComparison.Ordinal) && o.Side == OrderSide.Sell));
    }

    private void Trade(decimal price) => Server.PublishTrade(new TradeEvent("XRPUSDT", ++_tradeId, price, 1_000m, T0.AddSeconds(_tradeId)));

    private OrderUpdate? Order(Func<OrderUpdate, bool> match) => Server.Exchange.Orders.LastOrDefault(match);

    private static Task Until(Func<bool> condition) =>
        Wait.UntilAsync(condition, "the condition should hold within 10 s", TimeSpan.FromSeconds(10), every: TimeSpan.FromMilliseconds(100));
}

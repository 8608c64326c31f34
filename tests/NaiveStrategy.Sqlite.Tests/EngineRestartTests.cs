using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

public sealed class EngineRestartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static InMemoryExchange Exchange() => new(new InMemoryExchangeOptions
    {
        Symbols = { Filters() },
        Balances = { ["USDT"] = 1000m },
        StartTime = T0,
    });

    private static NaiveStrategyEngine Engine(InMemoryExchange exchange, IStrategyStore store, string run)
    {
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings());
        return new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator(run), exchange.Clock, store: store);
    }

    private static TradeEvent Trade(decimal price, long id) => new("XRPUSDT", id, price, 1000m, T0.AddSeconds(id));

    [Fact]
    public async Task StartAsync_NewStoreOnSameFileAfterFillWhileDown_ResumesSameTraderAndSellsOnce()
    {
        var exchange = Exchange();
        string traderId;
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            var first = Engine(exchange, store, "a");
            await first.StartAsync();
            exchange.PublishTrade(Trade(1.0m, 1));
            traderId = first.GetState("XRPUSDT")!.Traders.Single().TraderId;
            await first.DisposeAsync(); // the process dies; the order stays on the exchange
        }

        exchange.PublishTrade(Trade(0.97m, 2)); // fills the buy while nobody listens

        using var reopened = new SqliteStrategyStore(_dir.File());
        await using (var second = Engine(exchange, reopened, "b"))
        {
            await second.StartAsync();

            var trader = second.GetState("XRPUSDT")!.Traders.Should().ContainSingle().Subject;
            trader.TraderId.Should().Be(traderId);
            trader.BuyOrder!.Status.Should().Be(OrderStatus.Filled);
            trader.SellOrder.Should().NotBeNull();
        }

        exchange.Orders.Select(o => o.ClientOrderId).Should().Equal($"{traderId}-b", $"{traderId}-s");
        exchange.Orders.Select(o => o.ClientOrderId).Should().OnlyHaveUniqueItems();
        reopened.ReadIntents().Select(i => i.Request.ClientOrderId).Should().Equal($"{traderId}-b", $"{traderId}-s");
        reopened.ReadOrderUpdates().Should().Contain(u => u.ClientOrderId == $"{traderId}-b" && u.Status == OrderStatus.Filled);
        var saved = reopened.Load().Single().Traders.Single();
        saved.TraderId.Should().Be(traderId);
        saved.SellOrder!.Status.Should().Be(OrderStatus.New);
    }

    [Fact]
    public async Task StartAsync_AfterRestart_DustAndRealizedPnlResumed()
    {
        var exchange = Exchange();
        SymbolSnapshot before;
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            var first = Engine(exchange, store, "a");
            await first.StartAsync();
            exchange.PublishTrade(Trade(1.0m, 1));
            exchange.PublishTrade(Trade(0.97m, 2)); // the BUY fills: its SELL leaves the fee's remainder as dust
            exchange.PublishTrade(Trade(1.2m, 3)); // the SELL fills: the cycle's PnL is realized
            before = first.GetState("XRPUSDT")!;
            await first.DisposeAsync();
        }

        before.Dust.Should().BePositive().And.BeLessThan(1m);
        before.RealizedPnl.Should().NotBe(0m);
        using var reopened = new SqliteStrategyStore(_dir.File());
        await using var second = Engine(exchange, reopened, "b");
        await second.StartAsync();

        var after = second.GetState("XRPUSDT")!;
        (after.Dust, after.RealizedPnl).Should().Be((before.Dust, before.RealizedPnl));
    }

    [Fact]
    public async Task StartAsync_SavedPendingNewNeverSent_SentOnceAcrossTwoRestarts()
    {
        var exchange = Exchange();
        var leader = new Leader();
        var state = leader.Start(LeaderState.Create(Settings(), "x"), Filters()).State;
        state = leader.OnTrade(state, Trade(1.0m, 1)).State;
        using (var crashed = new SqliteStrategyStore(_dir.File()))
        {
            crashed.SaveSymbol(SymbolSnapshot.Of(state)); // saved with a PendingNew buy; the process died before sending
        }

        for (var run = 0; run < 2; run++)
        {
            using var store = new SqliteStrategyStore(_dir.File());
            await using var engine = Engine(exchange, store, "r" + run.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await engine.StartAsync();
        }

        exchange.Orders.Should().ContainSingle().Which.ClientOrderId.Should().Be("x-1-b");
        using var final = new SqliteStrategyStore(_dir.File());
        final.Load().Single().Traders.Single().BuyOrder!.Status.Should().Be(OrderStatus.New);
    }

    [Fact]
    public async Task StartAsync_StoredShutdown_StaysInShutdownAfterReopen()
    {
        var exchange = Exchange();
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            var first = Engine(exchange, store, "a");
            await first.StartAsync();
            exchange.PublishTrade(Trade(1.0m, 1));
            first.ShutdownTrading("XRPUSDT");
            await first.DisposeAsync();
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        await using var second = Engine(exchange, reopened, "b");
        await second.StartAsync();

        second.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.Shutdown);
    }
}

using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// The account-wide NaiveStrategyOptions.MaxDrawdown over two symbols, XRPUSDT and ADAUSDT, 100 USDT each.
public sealed class AccountGuardTests
{
    private static readonly SymbolFilters Ada = Filters(minNotional: 1m) with { Symbol = "ADAUSDT", BaseAsset = "ADA" };

    private static InMemoryExchange Exchange() => new(new InMemoryExchangeOptions
    {
        Symbols = { Filters(minNotional: 1m), Ada },
        Balances = { ["USDT"] = 200m },
        StartTime = T0,
    });

    private static NaiveStrategyEngine Engine(InMemoryExchange exchange, List<StrategyEvent> events, IStrategyStore? store = null, string run = "a", decimal? maxDrawdown = 0.03m, GuardAction action = GuardAction.Exit)
    {
        var options = new NaiveStrategyOptions { MaxDrawdown = maxDrawdown, MaxDrawdownAction = action };
        options.Symbols.Add(Settings(chunks: 1));
        options.Symbols.Add(Settings(chunks: 1) with { Symbol = "ADAUSDT" });
        var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator(run), exchange.Clock, store: store);
        engine.Events.Subscribe(events.Add);
        return engine;
    }

    private static TradeEvent AdaTrade(decimal price, long id) => new("ADAUSDT", id, price, 1000m, T0.AddSeconds(id));

    // Both start at 1.0 (equity 200, the peak); XRPUSDT's BUY of 101 @ 0.99 fills at 0.98, then the price falls to 0.93:
    // XRPUSDT's equity is 0.01 + 100.899 × 0.93 = 93.85, the account's 193.85, 3.08 % under its peak; ADAUSDT lost nothing.
    private static void FallOnXrp(InMemoryExchange exchange)
    {
        exchange.PublishTrade(Trade(1.0m, 1));
        exchange.PublishTrade(AdaTrade(1.0m, 2));
        exchange.PublishTrade(Trade(0.98m, 3));
        exchange.PublishTrade(Trade(0.93m, 4));
    }

    [Fact]
    public async Task MaxDrawdown_AccountEquityFallsBelowItsPeak_FiresInEverySymbolWithTheAction()
    {
        var exchange = Exchange();
        var events = new List<StrategyEvent>();
        await using var engine = Engine(exchange, events);
        await engine.StartAsync();

        FallOnXrp(exchange);
        exchange.PublishTrade(Trade(0.92m, 5)); // the exit's MARKET SELL fills here

        var fired = events.Where(e => e.Event is GuardTriggered).ToList();
        fired.Select(e => e.Symbol).Should().BeEquivalentTo(["XRPUSDT", "ADAUSDT"]);
        var xrp = (GuardTriggered)fired.Single(e => e.Symbol == "XRPUSDT").Event;
        xrp.Should().BeEquivalentTo(new { Guard = GuardKind.AccountDrawdown, Action = GuardAction.Exit, Price = 0.93m, Threshold = 0.03m });
        xrp.Figure.Should().BeApproximately((200m - 193.84607m) / 200m, 0.000001m);
        ((GuardTriggered)fired.Single(e => e.Symbol == "ADAUSDT").Event).Price.Should().Be(1.0m, "ADAUSDT's last trade");

        var market = exchange.Orders.Where(o => o.Price == 0m).Should().ContainSingle().Subject;
        market.Should().BeEquivalentTo(new { Symbol = "XRPUSDT", Side = OrderSide.Sell, Quantity = 100m, Status = OrderStatus.Filled });
        exchange.Orders.Single(o => o.Symbol == "ADAUSDT").Status.Should().Be(OrderStatus.Canceled, "ADAUSDT's open BUY is canceled");
        foreach (var symbol in new[] { "XRPUSDT", "ADAUSDT" })
        {
            var state = engine.GetState(symbol)!;
            state.Status.Should().Be(SymbolStatus.Off);
            state.Guard.Fired.Should().BeEquivalentTo(new { Kind = GuardKind.AccountDrawdown, Done = true });
        }

        exchange.PublishTrade(AdaTrade(0.98m, 6));
        exchange.PublishTrade(Trade(1.0m, 7));
        exchange.Orders.Should().HaveCount(4, "a fired guard keeps every symbol off");
    }

    [Fact]
    public async Task MaxDrawdown_Off_NoSymbolFires()
    {
        var exchange = Exchange();
        var events = new List<StrategyEvent>();
        await using var engine = Engine(exchange, events, maxDrawdown: null);
        await engine.StartAsync();

        FallOnXrp(exchange);

        events.Select(e => e.Event).OfType<GuardTriggered>().Should().BeEmpty();
        engine.GetState("ADAUSDT")!.Status.Should().Be(SymbolStatus.On);
    }

    [Fact]
    public async Task MaxDrawdown_Stop_CancelsBuysAndHoldersKeepTheirSells()
    {
        var exchange = Exchange();
        var events = new List<StrategyEvent>();
        await using var engine = Engine(exchange, events, action: GuardAction.Stop);
        await engine.StartAsync();

        FallOnXrp(exchange);

        events.Select(e => e.Event).OfType<GuardTriggered>().Should().HaveCount(2).And.OnlyContain(g => g.Action == GuardAction.Stop);
        exchange.Orders.Should().NotContain(o => o.Price == 0m);
        exchange.Orders.Single(o => o.Symbol == "XRPUSDT" && o.Side == OrderSide.Sell).Status.Should().Be(OrderStatus.New, "the holder keeps its SELL");
        engine.GetState("ADAUSDT")!.Status.Should().Be(SymbolStatus.Off);
        engine.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.Shutdown, "its holder finishes its cycle");
    }

    [Fact]
    public async Task StartAsync_AfterTheAccountGuardFired_KeepsEverySymbolOffUntilStartedAgain()
    {
        var exchange = Exchange();
        var store = new InMemoryStrategyStore();
        var events = new List<StrategyEvent>();
        var first = Engine(exchange, events, store, "a");
        await first.StartAsync();
        FallOnXrp(exchange);
        exchange.PublishTrade(Trade(0.92m, 5));
        await first.DisposeAsync();
        var orders = exchange.Orders.Count;

        await using var second = Engine(exchange, events, store, "b");
        await second.StartAsync();
        exchange.PublishTrade(Trade(0.95m, 6));
        exchange.PublishTrade(AdaTrade(1.0m, 7));

        exchange.Orders.Should().HaveCount(orders, "the restart keeps the guard fired");
        second.GetState("XRPUSDT")!.Guard.Fired!.Kind.Should().Be(GuardKind.AccountDrawdown);
        second.GetState("ADAUSDT")!.Status.Should().Be(SymbolStatus.Off);

        // An operator starts one symbol again: it trades, and the account guard watches afresh from there.
        await second.StartTradingAsync("ADAUSDT");
        exchange.PublishTrade(AdaTrade(1.0m, 8));
        exchange.PublishTrade(AdaTrade(0.999m, 9));
        exchange.Orders.Should().HaveCount(orders + 1);
        second.GetState("ADAUSDT")!.Status.Should().Be(SymbolStatus.On);
        second.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.Off);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.1)]
    public void Constructor_MaxDrawdownOutOfRange_ThrowsNamingIt(double value)
    {
        var exchange = Exchange();
        var act = () => Engine(exchange, [], maxDrawdown: (decimal)value);

        act.Should().Throw<OptionsValidationException>().WithMessage("*MaxDrawdown must be in (0, 1) when set, got*");
    }
}

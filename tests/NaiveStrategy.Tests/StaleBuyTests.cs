using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// The optional stale-BUY rule (max_buy_wait / max_buy_distance): off by default, the book's BUY waits.
public sealed class StaleBuyTests
{
    private static TradeEvent At(decimal price, TimeSpan after, long id = 2) => new("XRPUSDT", id, price, 1000m, T0.AddSeconds(1) + after);

    private static TraderState Acknowledged(SymbolSettings settings)
    {
        var placed = Trader.OnTrade(Fresh(settings), Trade(1.0m)).State;
        return Trader.OnOrderUpdate(placed, Update(placed.BuyOrder!, OrderStatus.New, 0m)).State;
    }

    private static SymbolSettings Waiting(TimeSpan? wait = null, decimal? distance = null) =>
        Settings() with { MaxBuyWait = wait, MaxBuyDistance = distance };

    [Fact]
    public void OnTrade_RuleOff_BuyWaitsWhateverTheTimeOrPrice()
    {
        var state = Acknowledged(Settings());

        var d = Trader.OnTrade(state, At(5.0m, TimeSpan.FromDays(30)));

        d.State.Should().BeSameAs(state);
        d.Commands.Should().BeEmpty();
    }

    [Fact]
    public void OnTrade_MaxBuyWaitElapsed_CancelsTheBuy()
    {
        var state = Acknowledged(Waiting(wait: TimeSpan.FromMinutes(10)));

        var d = Trader.OnTrade(state, At(1.0m, TimeSpan.FromMinutes(10)));

        d.Commands.Should().ContainSingle().Which.Should().Be(new CancelOrder("r-1", new OrderRequest("XRPUSDT", "r-1-b", OrderSide.Buy, 0.99m, 20m)));
        d.Events.Should().ContainSingle().Which.Should().BeOfType<StaleBuyCanceling>().Which.Reason.Should().Be("waited 00:10:00 unfilled");
        d.State.BuyCancelRequestedAt.Should().Be(T0.AddSeconds(1).AddMinutes(10));
    }

    [Fact]
    public void OnTrade_MaxBuyWaitNotYetElapsed_Unchanged()
    {
        var state = Acknowledged(Waiting(wait: TimeSpan.FromMinutes(10)));

        Trader.OnTrade(state, At(1.0m, TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1))).State.Should().BeSameAs(state);
    }

    [Fact]
    public void OnTrade_PriceRoseMaxBuyDistanceAboveWhereItWasPlaced_CancelsTheBuy()
    {
        var state = Acknowledged(Waiting(distance: 0.02m));

        Trader.OnTrade(state, At(1.0199m, TimeSpan.FromSeconds(1))).Commands.Should().BeEmpty();
        var d = Trader.OnTrade(state, At(1.02m, TimeSpan.FromSeconds(1)));

        d.Commands.Should().ContainSingle().Which.Should().BeOfType<CancelOrder>();
        d.Events.OfType<StaleBuyCanceling>().Single().Reason.Should().Be("price 1.02 is 2.00 % above 1.0, the price when it was placed");
    }

    [Fact]
    public void OnTrade_BuyNotAcknowledgedYet_NotCanceled()
    {
        var placed = Trader.OnTrade(Fresh(Waiting(wait: TimeSpan.FromMinutes(1))), Trade(1.0m)).State;

        Trader.OnTrade(placed, At(1.0m, TimeSpan.FromHours(1))).Commands.Should().BeEmpty("a cancel may not overtake the placement");
    }

    [Fact]
    public void OnTrade_CancelAskedAndUnanswered_AskedAgainOnlyAfterTheRetryDelay()
    {
        var asked = Trader.OnTrade(Acknowledged(Waiting(wait: TimeSpan.FromMinutes(1))), At(1.0m, TimeSpan.FromMinutes(1))).State;

        Trader.OnTrade(asked, At(1.0m, TimeSpan.FromMinutes(1) + Trader.CancelRetryAfter - TimeSpan.FromSeconds(1))).Commands.Should().BeEmpty();
        Trader.OnTrade(asked, At(1.0m, TimeSpan.FromMinutes(1) + Trader.CancelRetryAfter)).Commands.Should().ContainSingle().Which.Should().BeOfType<CancelOrder>();
    }

    [Fact]
    public void OnOrderUpdate_StaleBuyCanceled_NextTradePlacesANewBuyUnderTheCurrentPriceWithItsOwnId()
    {
        var asked = Trader.OnTrade(Acknowledged(Waiting(distance: 0.02m)), At(1.10m, TimeSpan.FromSeconds(1))).State;

        var canceled = Trader.OnOrderUpdate(asked, Update(asked.BuyOrder!, OrderStatus.Canceled, 0m));
        var replaced = Trader.OnTrade(canceled.State, At(1.10m, TimeSpan.FromSeconds(2), id: 3));

        canceled.Events.Should().ContainSingle().Which.Should().Be(new StaleBuyCanceled("r-1", "r-1-b"));
        canceled.State.Outcome.Should().BeNull("the trader lives on");
        canceled.State.BuyOrder.Should().BeNull();
        var place = replaced.Commands.Should().ContainSingle().Which.Should().BeOfType<PlaceOrder>().Subject;
        place.Request.Should().Be(new OrderRequest("XRPUSDT", "r-1-b2", OrderSide.Buy, 1.089m, 18m));
        replaced.State.RebuyPrice.Should().Be(0.9801m, "the rebuy level follows the new BUY");
    }

    [Fact]
    public void OnOrderUpdate_LateUpdateOfTheReplacedBuy_ChangesNothing()
    {
        var leader = new Leader();
        var state = leader.Start(LeaderState.Create(Waiting(distance: 0.02m), "r"), Filters()).State;
        state = leader.OnTrade(state, Trade(1.0m)).State;
        var buy = state.Traders[0].BuyOrder!;
        state = leader.OnOrderUpdate(state, Update(buy, OrderStatus.New, 0m)).State;
        state = leader.OnTrade(state, At(1.10m, TimeSpan.FromSeconds(1))).State;
        state = leader.OnOrderUpdate(state, Update(buy, OrderStatus.Canceled, 0m)).State;

        var late = leader.OnOrderUpdate(state, Update(buy, OrderStatus.Canceled, 0m));

        late.State.Should().BeSameAs(state);
        late.Events.Should().BeEmpty("the update belongs to the trader's replaced BUY, not to an unknown order");
    }

    [Fact]
    public void OnOrderUpdate_StaleBuyFilledBeforeTheCancel_SellsAsUsual()
    {
        var asked = Trader.OnTrade(Acknowledged(Waiting(wait: TimeSpan.FromMinutes(1))), At(1.0m, TimeSpan.FromMinutes(1))).State;

        var d = Trader.OnOrderUpdate(asked, Update(asked.BuyOrder!, OrderStatus.Filled, 20m));

        d.Commands.Should().ContainSingle().Which.Should().BeOfType<PlaceOrder>().Which.Request.Side.Should().Be(OrderSide.Sell);
    }

    [Fact]
    public void OnOrderUpdate_StaleBuyCanceledAfterAPartialFill_SellsWhatItBought()
    {
        var asked = Trader.OnTrade(Acknowledged(Waiting(wait: TimeSpan.FromMinutes(1))), At(1.0m, TimeSpan.FromMinutes(1))).State;

        var d = Trader.OnOrderUpdate(asked, Update(asked.BuyOrder!, OrderStatus.Canceled, 10m));

        d.Commands.Should().ContainSingle().Which.Should().BeOfType<PlaceOrder>().Which.Request.Should().Match<OrderRequest>(r => r.Side == OrderSide.Sell && r.Quantity == 10m);
    }

    [Fact]
    public void OnOrderUpdate_BuyCanceledByTheUserNotTheRule_TraderEnds()
    {
        var state = Acknowledged(Waiting(wait: TimeSpan.FromMinutes(1)));

        var d = Trader.OnOrderUpdate(state, Update(state.BuyOrder!, OrderStatus.Canceled, 0m));

        d.State.Outcome.Should().Be(TraderOutcome.Canceled);
    }

    [Theory]
    [InlineData("00:00:00", null, "XRPUSDT: max_buy_wait must be > 0 when set, got 00:00:00.")]
    [InlineData(null, "0", "XRPUSDT: max_buy_distance must be in (0, 1) when set, got 0.")]
    [InlineData(null, "1.5", "XRPUSDT: max_buy_distance must be in (0, 1) when set, got 1.5.")]
    public void FindErrors_InvalidStaleBuyRule_NamesTheField(string? wait, string? distance, string expected)
    {
        var settings = Settings() with
        {
            MaxBuyWait = wait is null ? null : TimeSpan.Parse(wait, System.Globalization.CultureInfo.InvariantCulture),
            MaxBuyDistance = distance is null ? null : decimal.Parse(distance, System.Globalization.CultureInfo.InvariantCulture),
        };

        settings.FindErrors().Should().Equal(expected);
    }

    // Through the engine and the in-memory exchange: a market that runs away from the BUY.
    [Fact]
    public async Task Run_MarketRisesAwayFromTheBuy_CanceledAndPlacedAgainThenTheCycleCompletes()
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Filters(minNotional: 1m) }, Balances = { ["USDT"] = 1000m } });
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings(chunks: 1, budget: 20m, buyDown: 0.01m, profit: 0.001m) with { MaxBuyDistance = 0.05m, Status = SymbolStatus.On });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("t"), exchange.Clock);
        await engine.StartAsync();

        long id = 0;
        for (var p = 1.00m; p <= 1.30m; p += 0.01m)
        {
            exchange.PublishTrade(new TradeEvent("XRPUSDT", ++id, p, 1000m, T0.AddSeconds(id)));
        }

        var buys = exchange.Orders.Where(o => o.Side == OrderSide.Buy).ToList();
        buys.Select(o => o.ClientOrderId).Should().StartWith(["t-XRPUSDT-1-b", "t-XRPUSDT-1-b2", "t-XRPUSDT-1-b3"]);
        buys.Take(buys.Count - 1).Should().OnlyContain(o => o.Status == OrderStatus.Canceled && o.ExecutedQuantity == 0);
        buys.Select(o => o.Price).Should().BeInAscendingOrder("each new BUY goes under the price of its time");

        // The market turns: the last BUY fills and the trader sells as usual.
        var last = buys[^1];
        exchange.PublishTrade(new TradeEvent("XRPUSDT", ++id, last.Price - 0.01m, 1000m, T0.AddSeconds(id)));
        exchange.PublishTrade(new TradeEvent("XRPUSDT", ++id, last.Price + 0.05m, 1000m, T0.AddSeconds(id)));
        exchange.Orders.Should().Contain(o => o.Side == OrderSide.Sell && o.Status == OrderStatus.Filled);
        engine.GetState("XRPUSDT")!.Traders.Should().ContainSingle().Which.TraderId.Should().Be("t-XRPUSDT-2", "the first trader completed and was replaced");
    }
}

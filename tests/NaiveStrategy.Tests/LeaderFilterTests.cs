using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// The exchange changed the symbol's filters while it runs (IExchange.SymbolFiltersChanged): the Leader and its traders
// price and size their next orders with the new ones.
public sealed class LeaderFilterTests
{
    private readonly Leader _leader = new();

    private LeaderState Started(decimal tick = 0.0001m) =>
        _leader.Start(LeaderState.Create(Settings(chunks: 1), "run"), Filters(tick: tick)).State;

    [Fact]
    public void UpdateFilters_Started_LeaderAndTradersTakeThemNextBuyOnTheNewTick()
    {
        var d = Leader.UpdateFilters(Started(), Filters(tick: 0.001m));

        d.State.Filters!.TickSize.Should().Be(0.001m);
        d.State.Traders.Should().ContainSingle().Which.Filters.TickSize.Should().Be(0.001m);
        d.Commands.Should().BeEmpty();
        d.Events.Should().BeEmpty();
        var buy = _leader.OnTrade(d.State, Trade(0.5123m, 1)).Commands.OfType<PlaceOrder>().Should().ContainSingle().Subject;
        buy.Request.Price.Should().Be(0.507m, "0.5123 less 1 % is 0.507177: 0.507 on the new tick, 0.5071 on the old");
    }

    [Fact]
    public void UpdateFilters_NotStarted_Unchanged()
    {
        var idle = LeaderState.Create(Settings(chunks: 1), "run");

        Leader.UpdateFilters(idle, Filters(tick: 0.001m)).State.Should().BeSameAs(idle);
    }

    [Fact]
    public void UpdateFilters_SameFilters_StateUnchanged()
    {
        var state = Started();

        Leader.UpdateFilters(state, Filters()).State.Should().BeSameAs(state);
    }

    [Fact]
    public void UpdateFilters_OtherSymbol_Throws()
    {
        var act = () => Leader.UpdateFilters(Started(), Filters() with { Symbol = "BTCUSDT" });

        act.Should().Throw<ArgumentException>().WithMessage("*BTCUSDT*XRPUSDT*");
    }

    [Property(MaxTest = 200)]
    public Property UpdateFilters_AnyNewTick_NextBuyIsAMultipleOfIt(PositiveInt tickExp, PositiveInt priceUnits)
    {
        var tick = 1m / (decimal)Math.Pow(10, (tickExp.Get % 6) + 1);
        var price = 1m + ((priceUnits.Get % 100_000) / 10_000m);
        var state = Leader.UpdateFilters(Started(tick: 0.00001m), Filters(tick: tick)).State;

        var buy = _leader.OnTrade(state, Trade(price, 1)).Commands.OfType<PlaceOrder>().Single();

        return (buy.Request.Price % tick == 0 && buy.Request.Price <= price * 0.99m).ToProperty();
    }
}

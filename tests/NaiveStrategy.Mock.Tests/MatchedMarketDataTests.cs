using System.Reactive.Linq;
using Microsoft.Extensions.DependencyInjection;

namespace NaiveStrategy.Mock.Tests;

public sealed class MatchedMarketDataTests
{
    private static readonly TradeEvent Below = new("XRPUSDT", 1, 0.49m, 1000m, TestData.T0);

    [Fact]
    public async Task MarketTrades_ExternalTrade_MatchesRestingOrderBeforeTheSubscriberSeesIt()
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { TestData.Xrp }, Balances = { ["USDT"] = 100m } });
        (await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "a-b", OrderSide.Buy, 0.5m, 40m))).IsSuccess.Should().BeTrue();
        var statusSeenWithTrade = new List<OrderStatus>();
        var matched = new MatchedMarketData(new FixedMarketData(Below), exchange);

        using var _ = matched.MarketTrades("XRPUSDT").Subscribe(_ => statusSeenWithTrade.Add(exchange.Orders[0].Status));

        statusSeenWithTrade.Should().Equal(OrderStatus.Filled);
    }

    [Fact]
    public void AddMockExchange_AfterOtherMarketData_PassesItsTradesThroughTheExchange()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new FixedMarketData(Below));
        services.AddNaiveStrategy()
            .AddMarketDataForTest()
            .AddMockExchange(o => o.Symbols.Add(TestData.Xrp));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IMarketData>().Should().BeOfType<MatchedMarketData>();
        provider.GetRequiredService<IExchange>().Should().BeSameAs(provider.GetRequiredService<InMemoryExchange>());
    }

    [Fact]
    public void AddMockExchange_Alone_IsItsOwnMarketData()
    {
        var services = new ServiceCollection();
        services.AddNaiveStrategy().AddMockExchange(o => o.Symbols.Add(TestData.Xrp));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IMarketData>().Should().BeSameAs(provider.GetRequiredService<InMemoryExchange>());
    }

    internal sealed class FixedMarketData(params TradeEvent[] trades) : IMarketData
    {
        public IObservable<TradeEvent> MarketTrades(string symbol) => trades.Where(t => t.Symbol == symbol).ToObservable();
    }
}

internal static class MarketDataRegistration
{
    public static NaiveStrategyBuilder AddMarketDataForTest(this NaiveStrategyBuilder builder)
    {
        builder.Services.AddSingleton<IMarketData>(sp => sp.GetRequiredService<MatchedMarketDataTests.FixedMarketData>());
        return builder;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NaiveStrategy;
using NaiveStrategy.Mock;

namespace NaiveBot.Tests;

// The settings of the bot's appsettings.json on the in-memory exchange: what they do before real money does it.
public sealed class SettingsTests
{
    private static readonly SymbolFilters XrpUsdt = new() { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 5m };

    private static ServiceProvider Bot(decimal usdt)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var services = new ServiceCollection();
        services.AddNaiveStrategy(configuration.GetSection("NaiveStrategy"))
            .AddMockExchange(o =>
            {
                o.Symbols.Add(XrpUsdt);
                o.Balances["USDT"] = usdt;
            });
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task FirstTrade_PlacesABuyBelowIt()
    {
        await using var bot = Bot(usdt: 100m);
        var engine = bot.GetRequiredService<NaiveStrategyEngine>();
        await engine.StartAsync();

        bot.GetRequiredService<InMemoryExchange>().PublishTrade(new TradeEvent("XRPUSDT", 1, 0.5m, 100m, DateTimeOffset.UnixEpoch));
        await engine.WaitUntilIdleAsync();

        var buy = engine.GetState("XRPUSDT")!.Traders[0].BuyOrder;
        Assert.NotNull(buy);
        Assert.True(buy.Price < 0.5m, $"the BUY is at {buy.Price}");
    }

    [Fact]
    public async Task PriceGoesDownThenUp_TheFirstTraderCompletesItsCycle()
    {
        await using var bot = Bot(usdt: 100m);
        var engine = bot.GetRequiredService<NaiveStrategyEngine>();
        var exchange = bot.GetRequiredService<InMemoryExchange>();
        var finished = new List<TraderFinished>();
        using var _ = engine.Events.Subscribe(new Collect(finished));
        await engine.StartAsync();

        exchange.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.5m, 100m, DateTimeOffset.UnixEpoch));
        exchange.PublishTrade(new TradeEvent("XRPUSDT", 2, 0.4m, 100m, DateTimeOffset.UnixEpoch));
        exchange.PublishTrade(new TradeEvent("XRPUSDT", 3, 0.6m, 100m, DateTimeOffset.UnixEpoch));
        await engine.WaitUntilIdleAsync();

        var first = Assert.Single(finished);
        Assert.Equal(TraderOutcome.Completed, first.Outcome);
    }

    private sealed class Collect(List<TraderFinished> into) : IObserver<StrategyEvent>
    {
        public void OnNext(StrategyEvent value)
        {
            if (value.Event is TraderFinished f)
            {
                into.Add(f);
            }
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}

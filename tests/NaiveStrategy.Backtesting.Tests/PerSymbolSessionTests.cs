using Microsoft.Extensions.Options;

using NaiveStrategy.Mock;
using static NaiveStrategy.Backtesting.Tests.SessionData;

namespace NaiveStrategy.Backtesting.Tests;

/// <summary>Sessions limited to one symbol, each with its own engine and exchange, combined: the shared session's result.</summary>
public sealed class PerSymbolSessionTests
{
    private static readonly SymbolFilters[] Filters =
    [
        Xrp,
        Xrp with { Symbol = "ADAUSDT", BaseAsset = "ADA" },
        Xrp with { Symbol = "DOGEUSDT", BaseAsset = "DOGE" },
    ];

    private const decimal Budget = 100m;

    // Every symbol's budget: the shared account holds their sum, and so does each per-symbol exchange.
    private static readonly decimal Funds = Budget * Filters.Length;

    private static async Task<(BacktestSession Session, NaiveStrategyEngine Engine)> Start(IReadOnlyList<SymbolFilters> filters, string? only, bool partial = false)
    {
        var options = new InMemoryExchangeOptions { Balances = { ["USDT"] = Funds }, StartTime = T0, PartialFills = partial };
        var strategy = new NaiveStrategyOptions();
        foreach (var f in filters)
        {
            options.Symbols.Add(f);
            strategy.AddSymbol(f.Symbol, s => s with { Chunks = 4, Budget = Budget, BuyDownInterval = 0.002m, ProfitInterval = 0.003m, RebuyInterval = 0.01m });
        }

        var exchange = new InMemoryExchange(options);
        var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(strategy), new TraderIdGenerator("bt"), exchange.Clock);
        var session = new BacktestSession(engine, exchange, TimeSpan.FromMinutes(1), only);
        await session.StartAsync();
        return (session, engine);
    }

    // Three random walks (falling, then rising) interleaved at random, one trade per second, in time order.
    private static TradeEvent[] Market(params string[] symbols)
    {
        var random = new Random(11);
        var prices = symbols.ToDictionary(s => s, _ => 0.5m);
        var counts = symbols.ToDictionary(s => s, _ => 0);
        var trades = new TradeEvent[9000];
        for (var i = 0; i < trades.Length; i++)
        {
            var symbol = symbols[random.Next(symbols.Length)];
            var drift = counts[symbol]++ < 1500 ? -0.0002m : 0.00025m;
            var price = prices[symbol] = Math.Round(prices[symbol] * (1 + drift + (((decimal)random.NextDouble() - 0.5m) * 0.004m)), 4);
            trades[i] = new TradeEvent(symbol, i + 1, price, 3m + (i % 7), T0.AddSeconds(i + 1));
        }

        return trades;
    }

    private static async Task<BacktestResult> Shared(TradeEvent[] trades, bool partial = false)
    {
        var (session, engine) = await Start(Filters, only: null, partial);
        await using (engine)
        using (session)
        {
            session.Replay(trades);
            return session.Complete();
        }
    }

    private static async Task<BacktestResult> PerSymbol(TradeEvent[] trades, bool partial = false)
    {
        var results = new List<BacktestResult>();
        foreach (var f in Filters)
        {
            var (session, engine) = await Start([f], f.Symbol, partial);
            await using (engine)
            using (session)
            {
                session.Replay(trades);
                results.Add(session.Complete());
            }
        }

        return BacktestResult.Combine(results);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Combine_PerSymbolSessions_EqualsSharedSession(bool partial)
    {
        var trades = Market("XRPUSDT", "ADAUSDT", "DOGEUSDT");

        var shared = await Shared(trades, partial);
        var combined = await PerSymbol(trades, partial);

        combined.ToJson().Should().Be(shared.ToJson());
        combined.Journal.Should().Equal(shared.Journal);
        combined.EquityCurves.Keys.Should().Equal(shared.EquityCurves.Keys);
        foreach (var (symbol, curve) in shared.EquityCurves)
        {
            combined.EquityCurves[symbol].Should().Equal(curve, symbol);
        }

        combined.FillModel.Should().Be(shared.FillModel);
        shared.Symbols.Select(s => s.Symbol).Should().Equal("ADAUSDT", "DOGEUSDT", "XRPUSDT");
        shared.Symbols.Should().OnlyContain(s => s.CyclesCompleted > 0);

        // The shared journal interleaves the symbols: a merge by symbol would not give it.
        shared.Journal.Zip(shared.Journal.Skip(1)).Count(p => p.First.Order.Symbol != p.Second.Order.Symbol).Should().BeGreaterThan(10);
    }

    [Fact]
    public async Task Combine_SymbolWithoutTrades_ReportedAsInSharedSession()
    {
        var trades = Market("XRPUSDT", "ADAUSDT");

        var shared = await Shared(trades);
        var combined = await PerSymbol(trades);

        combined.ToJson().Should().Be(shared.ToJson());
        combined.Journal.Should().Equal(shared.Journal);
        combined.Symbols.Single(s => s.Symbol == "DOGEUSDT").Should().Match<SymbolReport>(s => s.TradesReplayed == 0 && s.OrdersPlaced == 0 && s.Budget == Budget);
    }

    [Fact]
    public async Task Replay_LimitedToOneSymbol_SkipsOthersButNumbersEveryTrade()
    {
        var (session, engine) = await Start([Xrp], "XRPUSDT");
        await using (engine)
        using (session)
        {
            // An ADA trade first: the XRP BUY is placed during the second trade given.
            session.Replay(new TradeEvent("ADAUSDT", 1, 0.3m, 5m, T0.AddSeconds(1)));
            session.Replay(new TradeEvent(new string("XRPUSDT".AsSpan()), 1, 0.5m, 5m, T0.AddSeconds(2)));
            session.Replay(new TradeEvent("ADAUSDT", 2, 0.3m, 5m, T0.AddSeconds(3)));
            session.Replay(new TradeEvent("XRPUSDT", 2, 0.495m, 1000m, T0.AddSeconds(4)));

            var result = session.Complete();

            session.TradesReplayed.Should().Be(2);
            result.Symbols.Should().ContainSingle().Which.Should().Match<SymbolReport>(s => s.Symbol == "XRPUSDT" && s.TradesReplayed == 2 && s.FirstPrice == 0.5m);
            result.Journal.Select(j => (j.Order.Side, j.Order.Status, j.AtTrade)).Should().Equal((OrderSide.Buy, OrderStatus.Filled, 2L), (OrderSide.Sell, OrderStatus.New, 4L));
        }
    }

    [Fact]
    public void Constructor_SymbolNotListed_ThrowsNamingIt()
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp } });
        var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(new NaiveStrategyOptions()), new TraderIdGenerator("bt"), exchange.Clock);

        var act = () => new BacktestSession(engine, exchange, symbol: "ADAUSDT");

        act.Should().Throw<ArgumentException>().WithMessage("*'ADAUSDT' is not listed*");
    }

    [Fact]
    public async Task Combine_SameSymbolTwiceOrFillModelsDiffer_Throws()
    {
        var trades = Market("XRPUSDT");
        var full = await Shared(trades);
        var partial = await Shared(trades, partial: true);

        ((Action)(() => BacktestResult.Combine([full, full]))).Should().Throw<ArgumentException>().WithMessage("ADAUSDT is reported by more than one result*");
        ((Action)(() => BacktestResult.Combine([full, partial with { Symbols = [] }]))).Should().Throw<ArgumentException>().WithMessage("*different fill models*");
        ((Action)(() => BacktestResult.Combine([]))).Should().Throw<ArgumentException>();
    }
}

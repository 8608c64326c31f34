using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Options;

using NaiveStrategy.Mock;
using static NaiveStrategy.Backtesting.Tests.SessionData;

namespace NaiveStrategy.Backtesting.Tests;

/// <summary>Replaying through a <see cref="TradeIndex"/> (skipping quiet trades) gives the full replay's result to the byte.</summary>
public sealed class SkippingPropertyTests
{
    // Small walks: 500 cases of two replays each stay within seconds.
    private const int Cases = 500;

    /// <summary>One generated backtest: the market and everything that decides how it is traded.</summary>
    public sealed record Run(int Seed, int Length, int Symbols, int Chunks, decimal BuyDown, decimal Profit, decimal Rebuy, decimal Fee, int StaleRule, decimal FundsShare, bool Partial, bool Sampling, int BatchSize, int Guard = 0, bool Exit = false, int Trend = 0)
    {
        public override string ToString() =>
            $"seed {Seed}, {Length} trades, {Symbols} symbol(s), chunks {Chunks}, buy-down {BuyDown}, profit {Profit}, rebuy {Rebuy}, fee {Fee}, stale {StaleRule}, funds {FundsShare}, partial {Partial}, sampling {Sampling}, batch {BatchSize}, guard {Guard}, exit {Exit}, trend {Trend}";
    }

    public static class CaseGenerator
    {
        private static readonly int[] BatchSizes = [1, 7, 33, 100, 1024, 4096];

        public static Arbitrary<Run> Runs() => Gen.Choose(0, int.MaxValue - 1).Select(seed =>
        {
            var r = new Random(seed);
            decimal Pick(params decimal[] values) => values[r.Next(values.Length)];
            return new Run(
                seed,
                r.Next(50, 1200),
                r.Next(4) == 0 ? 2 : 1,
                r.Next(1, 6),
                Pick(0m, 0.0005m, 0.001m, 0.003m),
                Pick(-0.0012m, 0m, 0.001m, 0.004m),
                Pick(0.0005m, 0.001m, 0.003m, 0.01m),
                Pick(0m, 0.001m, 0.0075m),
                r.Next(4),
                Pick(0.3m, 0.6m, 1m, 2m),
                r.Next(2) == 0,
                r.Next(3) == 0,
                BatchSizes[r.Next(BatchSizes.Length)],
                r.Next(2) == 0 ? 0 : r.Next(1, 6),
                r.Next(2) == 0,
                r.Next(3) == 0 ? r.Next(-1, 2) : 0);
        }).ToArbitrary();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(CaseGenerator)])]
    public async Task Replay_Indexed_EqualsFullReplay(Run c)
    {
        var trades = Market(c);
        var full = await Replay(c, trades, indexed: false);
        var skipped = await Replay(c, trades, indexed: true);

        skipped.Result.ToJson().Should().Be(full.Result.ToJson(), c.ToString());
        skipped.Result.Journal.Should().Equal(full.Result.Journal, c.ToString());
        skipped.Result.FillModel.Should().Be(full.Result.FillModel);
        skipped.Result.EquityCurves.Keys.Should().Equal(full.Result.EquityCurves.Keys);
        foreach (var (symbol, curve) in full.Result.EquityCurves)
        {
            skipped.Result.EquityCurves[symbol].Should().Equal(curve, c.ToString());
        }

        skipped.Replayed.Should().Be(full.Replayed);
        if (c.Symbols == 1)
        {
            // The same market as a catalog's columns (amounts as the catalog gives them back) indexed on its integers.
            using var columns = ColumnData.Columns(trades);
            var stored = ColumnData.Trades(columns);
            var overColumns = await Replay(c, stored, indexed: true, columns: true);
            overColumns.Result.ToJson().Should().Be((await Replay(c, stored, indexed: false)).Result.ToJson(), c.ToString());
        }
    }

    // Found by the property: inside a skipped run the walk comes back to the price it was marked at, written with
    // other digits (0.5000 after 0.5: equal decimals); last price, equity and unrealized PnL are the last trade's.
    [Fact]
    public async Task Replay_EqualPriceWrittenDifferently_EqualsFullReplay()
    {
        var c = new Run(2116256340, 113, 1, 2, 0.001m, 0m, 0.001m, 0.0075m, 2, 1m, false, false, 1024, 0, true);
        var trades = Market(c);
        var full = await Replay(c, trades, indexed: false);
        var skipped = await Replay(c, trades, indexed: true);

        skipped.Result.ToJson().Should().Be(full.Result.ToJson());
        full.Result.Symbols[0].LastPrice.Scale.Should().Be(trades[^1].Price.Scale, "the last price is the last trade's, digits included");
        skipped.Skipped.Should().BePositive();
    }

    // Found by the property: the drawdown guard may act at any price (its floor is decimal.MaxValue); the quiet band
    // asked for the decimal above that floor and overflowed instead of saying that no price is quiet.
    [Fact]
    public async Task Replay_GuardFloorAtEveryPrice_EqualsFullReplay()
    {
        var c = new Run(1196901169, 1193, 2, 4, 0.001m, 0.004m, 0.01m, 0m, 2, 0.6m, true, false, 100, 3, true);
        var trades = Market(c);
        var full = await Replay(c, trades, indexed: false);
        var skipped = await Replay(c, trades, indexed: true);

        skipped.Result.ToJson().Should().Be(full.Result.ToJson());
        skipped.Result.Journal.Should().Equal(full.Result.Journal);
    }

    [Fact]
    public async Task Replay_QuietMarket_SkipsMostTrades()
    {
        var c = new Run(7, 20_000, 1, 3, 0.003m, 0.004m, 0.01m, 0.001m, 0, 1m, false, false, 4096);
        var trades = Market(c);
        var full = await Replay(c, trades, indexed: false);
        var skipped = await Replay(c, trades, indexed: true);

        skipped.Result.ToJson().Should().Be(full.Result.ToJson());
        skipped.Skipped.Should().BeGreaterThan(trades.Length / 2);
        full.Skipped.Should().Be(0);
    }

    // A position held through a trend: before PriceSpan every new equity peak or drawdown stopped the jump and went
    // through the engine; marked from the index, those trades are jumped over too.
    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Replay_FallingWalkHeldThrough_StopsLessThanWithoutPriceSpans(int seed)
    {
        // Bought early, a 5 % profit target is not reached while the walk falls: the position is held through.
        var c = new Run(seed, 20_000, 1, 3, 0.003m, 0.05m, 0.01m, 0.001m, 0, 1m, false, false, 20_000, Trend: -1);
        var trades = Market(c);
        var full = await Replay(c, trades, indexed: false);
        var banded = await Replay(c, trades, indexed: true, marksOverJumps: false);
        var marked = await Replay(c, trades, indexed: true);

        marked.Result.ToJson().Should().Be(full.Result.ToJson());
        banded.Result.ToJson().Should().Be(full.Result.ToJson());
        var (stopsMarked, stopsBanded) = (marked.Replayed - marked.Skipped, banded.Replayed - banded.Skipped);
        full.Result.Symbols[0].MaxDrawdown.Should().BePositive("the walk moves a held position");
        stopsBanded.Should().BeGreaterThan(1_000, "each new drawdown stops a jump at the equity band");
        stopsMarked.Should().BeLessThan(stopsBanded / 10, $"{stopsMarked} trades through the engine against {stopsBanded} without PriceSpans");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Replay_StaleBuyRule_SkipsWithinItsBand(int staleRule)
    {
        var c = new Run(7, 20_000, 1, 3, 0.003m, 0.004m, 0.01m, 0.001m, staleRule, 1m, false, false, 4096);
        var trades = Market(c);
        var full = await Replay(c, trades, indexed: false);
        var skipped = await Replay(c, trades, indexed: true);

        skipped.Result.ToJson().Should().Be(full.Result.ToJson());
        skipped.Result.Journal.Should().Equal(full.Result.Journal);
        full.Result.Journal.Should().Contain(j => j.Order.Status == OrderStatus.Canceled, "the stale-BUY rule cancels BUYs");
        skipped.Skipped.Should().BeGreaterThan(trades.Length / 4);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(5, true)]
    public async Task Replay_WithGuards_EqualsFullReplayAndSkips(int guard, bool exit)
    {
        var c = new Run(7, 20_000, 1, 3, 0.003m, 0.004m, 0.01m, 0.001m, 0, 1m, false, false, 4096, guard, exit);
        var trades = Market(c);
        var full = await Replay(c, trades, indexed: false);
        var skipped = await Replay(c, trades, indexed: true);

        skipped.Result.ToJson().Should().Be(full.Result.ToJson());
        skipped.Result.Journal.Should().Equal(full.Result.Journal);
        full.Result.ToJson().Should().Contain("\"guards\"", "the guard fires on this walk");
        skipped.Skipped.Should().BePositive();
    }

    [Fact]
    public async Task Replay_WindowOfIndex_EqualsFullReplayOfThatWindow()
    {
        var c = new Run(11, 6_000, 1, 4, 0.001m, 0.002m, 0.003m, 0.001m, 1, 1m, false, true, 6_000);
        var trades = Market(c);
        var index = new TradeIndex(trades);
        var (from, count) = (1_234, 3_000);
        var window = trades.AsMemory(from, count).ToArray();

        var full = await Replay(c, window, indexed: false);
        var exchange = Exchange(c, out var strategy);
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(strategy), new TraderIdGenerator("bt"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange, TimeSpan.FromMinutes(5));
        await session.StartAsync();
        session.Replay(index, from, count);
        var skipped = session.Complete();

        skipped.ToJson().Should().Be(full.Result.ToJson());
        skipped.Journal.Should().Equal(full.Result.Journal);
        skipped.EquityCurves["XRPUSDT"].Should().Equal(full.Result.EquityCurves["XRPUSDT"]);
        session.TradesReplayed.Should().Be(count);
        session.TradesSkipped.Should().BePositive();
    }

    [Fact]
    public async Task Replay_WindowOutsideIndex_Throws()
    {
        var c = new Run(11, 100, 1, 1, 0.001m, 0.002m, 0.003m, 0.001m, 0, 1m, false, false, 100);
        var exchange = Exchange(c, out var strategy);
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(strategy), new TraderIdGenerator("bt"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange);

        var act = () => session.Replay(new TradeIndex(Market(c)), 50, 51);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static readonly string[] Names = ["XRPUSDT", "ADAUSDT"];

    // A random walk per symbol with flat runs, jumps and pauses, interleaved in time order; a trend (1 up, -1 down)
    // drifts it by a quarter of its volatility per step, so held positions set new equity peaks and drawdowns often.
    private static TradeEvent[] Market(Run c)
    {
        var r = new Random(c.Seed);
        var prices = new decimal[c.Symbols];
        Array.Fill(prices, 0.5m);
        var time = T0;
        var trades = new TradeEvent[c.Length];
        var volatility = new[] { 0.0005m, 0.002m, 0.006m }[r.Next(3)];
        for (var i = 0; i < trades.Length; i++)
        {
            var s = r.Next(c.Symbols);
            if (r.Next(3) != 0)
            {
                var step = (((decimal)r.NextDouble() - 0.5m) * volatility) + (c.Trend * volatility / 4);
                prices[s] = Math.Max(0.01m, Math.Round(prices[s] * (1 + step), 4));
            }

            time = time.AddMilliseconds(r.Next(20) == 0 ? r.Next(60_000, 900_000) : r.Next(0, 2_000));
            trades[i] = new TradeEvent(Names[s], i + 1, prices[s], 1m + r.Next(40), time);
        }

        return trades;
    }

    private static async Task<(BacktestResult Result, long Replayed, long Skipped)> Replay(Run c, TradeEvent[] trades, bool indexed, bool marksOverJumps = true, bool columns = false)
    {
        var exchange = Exchange(c, out var strategy);
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(strategy), new TraderIdGenerator("bt"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange, c.Sampling ? TimeSpan.FromMinutes(5) : null) { MarksOverJumps = marksOverJumps };
        await session.StartAsync();
        for (var from = 0; from < trades.Length; from += c.BatchSize)
        {
            var batch = trades.AsMemory(from, Math.Min(c.BatchSize, trades.Length - from));
            if (columns)
            {
                using var stored = ColumnData.Columns(batch.Span);
                session.Replay(TradeIndex.Of(stored));
            }
            else if (indexed)
            {
                session.Replay(new TradeIndex(batch));
            }
            else
            {
                session.Replay(batch.Span);
            }
        }

        return (session.Complete(), session.TradesReplayed, session.TradesSkipped);
    }

    private static InMemoryExchange Exchange(Run c, out NaiveStrategyOptions strategy)
    {
        const decimal budget = 50m;
        var options = new InMemoryExchangeOptions { StartTime = T0, PartialFills = c.Partial, FeeRate = c.Fee };
        options.Balances["USDT"] = budget * c.Symbols * c.FundsShare;
        strategy = new NaiveStrategyOptions();
        (TimeSpan? Wait, decimal? Distance) stale = c.StaleRule switch
        {
            1 => (TimeSpan.FromMinutes(2), null),
            2 => (null, 0.004m),
            _ => (null, null),
        };
        foreach (var symbol in Names.Take(c.Symbols))
        {
            options.Symbols.Add(Xrp with { Symbol = symbol, BaseAsset = symbol[..^4] });
            strategy.AddSymbol(symbol, s => s with
            {
                Chunks = c.Chunks,
                Budget = budget,
                BuyDownInterval = c.BuyDown,
                ProfitInterval = c.Profit,
                RebuyInterval = c.Rebuy,
                FeeRate = c.Fee,
                MaxBuyWait = stale.Wait,
                MaxBuyDistance = stale.Distance,
                StopLossPrice = c.Guard is 1 or 5 ? 0.49m : null,
                TakeProfitPrice = c.Guard is 2 or 5 ? 0.51m : null,
                MaxDrawdown = c.Guard is 3 or 5 ? 0.01m : null,
                MaxDailyLoss = c.Guard is 4 or 5 ? 0.3m : null,
                GuardAction = c.Exit ? GuardAction.Exit : GuardAction.Stop,
            });
        }

        return new InMemoryExchange(options);
    }
}

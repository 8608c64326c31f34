using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// The money rules of issue #14 over random walks, through the engine and the in-memory exchange, with the
// fee taken in the base asset (the exchange's default) and the account funded with exactly the budget.
public sealed class MoneyPropertyTests
{
    private const decimal Step = 1m;
    private const decimal MinNotional = 5m;

    private sealed record Run(InMemoryExchange Exchange, NaiveStrategyEngine Engine, List<StrategyEvent> Events);

    private static Run Start(SymbolSettings settings, bool partial, decimal? funds = null)
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions
        {
            Symbols = { Filters(step: Step, minNotional: MinNotional) },
            Balances = { ["USDT"] = funds ?? settings.Budget },
            PartialFills = partial,
        });
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(settings);
        var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("p"), exchange.Clock);
        var events = new List<StrategyEvent>();
        engine.Events.Subscribe(events.Add);
        engine.StartAsync().GetAwaiter().GetResult();
        return new Run(exchange, engine, events);
    }

    private static SymbolSettings SettingsFor(int chunks) =>
        Settings(chunks: chunks, budget: 120m, buyDown: 0.002m, profit: 0.001m, rebuy: 0.01m);

    // Every trade of a walk around 1 (steps of up to ±0.007, pulled back toward 1, so rebuys and sells keep
    // happening), and now and then a settings change (chunks 1 to 6). FsCheck's small ints are scrambled so
    // that short arrays still give every kind of move.
    private static IEnumerable<(TradeEvent Trade, int? Chunks)> Walk(int[] moves)
    {
        var price = 1.0m;
        long id = 0;
        foreach (var move in moves)
        {
            var r = unchecked((uint)move * 2654435761u) ^ (uint)id;
            price = Math.Round(Math.Max(0.1m, price + (((int)(r % 21) - 10) * 0.0007m) + ((1.0m - price) * 0.1m)), 4);
            id++;
            var quantity = 1 + (int)((r >> 5) % 50);
            yield return (new TradeEvent("XRPUSDT", id, price, quantity, T0.AddSeconds(id)), (r >> 11) % 5 == 0 ? 1 + (int)((r >> 16) % 6) : null);
        }
    }

    // Base the account holds that no running trader holds: the Leader's dust.
    private static decimal UnsoldOutsideTraders(Run run)
    {
        var xrp = run.Exchange.GetBalance("XRP");
        return xrp.Free + xrp.Locked - run.Engine.GetState("XRPUSDT")!.Traders.Sum(t => t.HeldQuantity());
    }

    [Property(MaxTest = 80)]
    public Property Run_RandomWalkFeeInBase_UnsoldBaseOutsideTradersAlwaysBelowOneStep(NonEmptyArray<int> moves, PositiveInt chunks, bool partial)
    {
        var run = Start(SettingsFor(1 + (chunks.Get % 6)), partial);
        using var engine = Disposing(run.Engine);
        foreach (var (trade, _) in Walk(moves.Get))
        {
            run.Exchange.PublishTrade(trade);
            var outside = UnsoldOutsideTraders(run);
            if (outside < 0 || outside >= Step || outside != run.Engine.GetState("XRPUSDT")!.Dust)
            {
                return false.Label($"after trade {trade.TradeId}: {outside} XRP outside the traders, dust {run.Engine.GetState("XRPUSDT")!.Dust}");
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = 150)]
    public Property Run_AccountFundedWithTheBudget_NoOrderBelowNotionalAndNoRejection(NonEmptyArray<int> moves, PositiveInt chunks, bool partial)
    {
        var settings = SettingsFor(1 + (chunks.Get % 6));
        var run = Start(settings, partial);
        using var engine = Disposing(run.Engine);
        foreach (var (trade, change) in Walk(moves.Get))
        {
            run.Exchange.PublishTrade(trade);
            if (change is { } c)
            {
                // A budget over what the account holds makes the symbol wait for funds often.
                run.Engine.UpdateSettings(SettingsFor(c) with { Budget = 120m + (c * 30m) });
            }
        }

        var filters = Filters(step: Step, minNotional: MinNotional);
        var belowFilters = run.Exchange.Orders.Where(o => filters.FindFilterFailure(o.Price, o.Quantity) is not null).ToList();
        var rejected = run.Events.Select(e => e.Event).OfType<OrderRejected>().ToList();
        var notSent = run.Events.Select(e => e.Event).OfType<OrderNotSent>().ToList();
        return (belowFilters.Count == 0 && rejected.Count == 0 && notSent.Count == 0)
            .Label($"orders breaking a filter: {belowFilters.Count}; rejected: {string.Join(", ", rejected.Select(r => r.Error))}; not sent: {notSent.Count}");
    }

    [Fact]
    public void Run_ChunksRaisedWhileATraderHoldsTheWholeBudget_NextTraderWaitsForFundsNoRejection()
    {
        var run = Start(SettingsFor(1), partial: false);
        using var engine = Disposing(run.Engine);
        run.Exchange.PublishTrade(Trade(1.0m, 1));
        run.Exchange.PublishTrade(Trade(0.99m, 2)); // the BUY of 119 fills
        run.Engine.UpdateSettings(SettingsFor(5));

        run.Exchange.PublishTrade(Trade(0.97m, 3)); // rebuy: a second trader is wanted

        var state = run.Engine.GetState("XRPUSDT")!;
        state.WaitingForFunds.Should().BeTrue();
        state.Traders.Should().ContainSingle();
        run.Events.Select(e => e.Event).OfType<OrderRejected>().Should().BeEmpty();
    }

    [Property(MaxTest = 150)]
    public Property Run_SettingsChanges_RunningTradersNeverGrowPastChunks(NonEmptyArray<int> moves, PositiveInt chunks)
    {
        var settings = SettingsFor(1 + (chunks.Get % 6));
        // Funds never short: only the chunks decide whether a trader starts.
        var run = Start(settings with { Budget = 1000m }, partial: false, funds: 100_000m);
        using var engine = Disposing(run.Engine);
        var limit = settings.Chunks;
        var running = run.Engine.GetState("XRPUSDT")!.Traders.Count;
        foreach (var (trade, change) in Walk(moves.Get))
        {
            if (change is { } c)
            {
                limit = c;
                run.Engine.UpdateSettings(settings with { Chunks = c, Budget = 1000m });
                var now = run.Engine.GetState("XRPUSDT")!.Traders.Count;
                if (now > Math.Max(limit, running) || (running <= limit && now > limit))
                {
                    return false.Label($"chunks {limit}: {running} running before the change, {now} after");
                }

                running = now;
            }

            var seen = run.Events.Count;
            run.Exchange.PublishTrade(trade);
            var after = run.Engine.GetState("XRPUSDT")!.Traders.Count;
            var finished = run.Events.Skip(seen).Count(e => e.Event is TraderFinished);

            // A trader starts only while fewer than chunks run: above the ceiling (holders from before a
            // change), finished traders are not replaced.
            if (after > Math.Max(limit, running - finished))
            {
                return false.Label($"chunks {limit}: {running} running before trade {trade.TradeId}, {finished} finished, {after} after");
            }

            running = after;
        }

        return true.ToProperty();
    }

    private static IDisposable Disposing(NaiveStrategyEngine engine) => new Disposer(engine);

    private sealed class Disposer(NaiveStrategyEngine engine) : IDisposable
    {
        public void Dispose() => engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// The risk guards of issue #25 over random walks, through the engine and the in-memory exchange (fee 0.1 % in the
// base for BUYs, in the quote for SELLs), the account funded with exactly the budget and holding no base.
public sealed class GuardPropertyTests
{
    private const decimal Step = 1m;
    private const decimal FeeRate = 0.001m;

    private sealed record Run(InMemoryExchange Exchange, NaiveStrategyEngine Engine, List<StrategyEvent> Events);

    private static Run Start(SymbolSettings settings, bool partial)
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions
        {
            Symbols = { Filters(step: Step, minNotional: 1m) },
            Balances = { ["USDT"] = settings.Budget },
            PartialFills = partial,
        });
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(settings);
        var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("g"), exchange.Clock);
        var events = new List<StrategyEvent>();
        engine.Events.Subscribe(events.Add);
        engine.StartAsync().GetAwaiter().GetResult();
        return new Run(exchange, engine, events);
    }

    // One guard of each kind, from the generated choice; levels near the walk's start so they fire on some paths only.
    private static SymbolSettings Guarded(int choice, GuardAction action)
    {
        var settings = Settings(chunks: 4, budget: 120m, buyDown: 0.002m, profit: 0.001m, rebuy: 0.01m) with { GuardAction = action };
        return (choice % 4) switch
        {
            0 => settings with { StopLossPrice = 0.98m },
            1 => settings with { TakeProfitPrice = 1.01m },
            2 => settings with { MaxDrawdown = 0.004m },
            _ => settings with { MaxDailyLoss = 0.3m },
        };
    }

    // A walk from 1 with a drift (down, up or none) so guards fire on some paths; steps up to ±0.007, an hour apart
    // so the market day turns over during long walks.
    private static IEnumerable<TradeEvent> Walk(int[] moves, int drift)
    {
        var price = 1.0m;
        long id = 0;
        var trend = ((drift % 3) - 1) * 0.0005m;
        foreach (var move in moves)
        {
            var r = unchecked((uint)move * 2654435761u) ^ (uint)id;
            price = Math.Round(Math.Max(0.1m, price + (((int)(r % 21) - 10) * 0.0007m) + trend), 4);
            id++;
            yield return new TradeEvent("XRPUSDT", id, price, 1 + (int)((r >> 5) % 50), T0.AddHours(id));
        }
    }

    private static decimal Base(Run run) => run.Exchange.GetBalance("XRP") is var b ? b.Free + b.Locked : 0m;

    private static decimal Quote(Run run) => run.Exchange.GetBalance("USDT") is var b ? b.Free + b.Locked : 0m;

    [Property(MaxTest = 120)]
    public Property Run_AnyGuardAnyPath_NoBuyPlacedAfterTheGuardFired(NonEmptyArray<int> moves, PositiveInt choice, int drift, bool exit, bool partial)
    {
        var run = Start(Guarded(choice.Get, exit ? GuardAction.Exit : GuardAction.Stop), partial);
        using var engine = Disposing(run.Engine);
        foreach (var trade in Walk(moves.Get, drift))
        {
            run.Exchange.PublishTrade(trade);
        }

        var fired = run.Events.FindIndex(e => e.Event is GuardTriggered);
        var buysAfter = fired < 0 ? 0 : run.Events.Skip(fired).Count(e => e.Event is OrderPlaced { Request.Side: OrderSide.Buy });
        return (buysAfter == 0).Label($"{buysAfter} BUY(s) placed after the guard fired").Classify(fired >= 0, "fired");
    }

    [Property(MaxTest = 120)]
    public Property Run_ExitFilled_HoldsLessThanOneStepOfBase(NonEmptyArray<int> moves, PositiveInt choice, int drift, bool partial)
    {
        var run = Start(Guarded(choice.Get, GuardAction.Exit), partial);
        using var engine = Disposing(run.Engine);
        foreach (var trade in Walk(moves.Get, drift))
        {
            run.Exchange.PublishTrade(trade);
            if (run.Events.Any(e => e.Event is GuardExitFilled { Status: OrderStatus.Filled }) && run.Engine.GetState("XRPUSDT")!.Guard.Fired is { Done: true })
            {
                var held = Base(run);
                return (held < Step && run.Engine.GetState("XRPUSDT")!.Status == SymbolStatus.Off)
                    .Label($"after the exit filled: {held} XRP held, status {run.Engine.GetState("XRPUSDT")!.Status}")
                    .Classify(true, "exit filled");
            }
        }

        return true.ToProperty().Classify(false, "exit filled");
    }

    [Property(MaxTest = 120)]
    public Property Run_StopLossExit_EquityNeverBelowTheStopLevelLessOneTradesMoveAndFees(NonEmptyArray<int> moves, int drift, bool partial)
    {
        const decimal stop = 0.985m;
        var run = Start(Guarded(0, GuardAction.Exit) with { StopLossPrice = stop }, partial);
        using var engine = Disposing(run.Engine);
        decimal? atStop = null;
        var held = 0m;
        var lowest = decimal.MaxValue;
        foreach (var trade in Walk(moves.Get, drift))
        {
            var seen = run.Events.Count;
            run.Exchange.PublishTrade(trade);
            if (atStop is null && run.Events.Skip(seen).Any(e => e.Event is GuardTriggered))
            {
                // What the account is worth at the stop level, the moment the guard fires.
                held = Base(run);
                atStop = Quote(run) + (held * stop);
            }

            if (atStop is { } level)
            {
                lowest = Math.Min(lowest, trade.Price);
                if (run.Engine.GetState("XRPUSDT")!.Guard.Fired is { Done: true })
                {
                    var equity = Quote(run) + (Base(run) * trade.Price);
                    var bound = level - (held * Math.Max(0m, stop - lowest)) - (held * stop * FeeRate) - (Step * trade.Price);
                    return (equity >= bound).Label($"equity {equity} below {bound}: {level} at the stop, {held} XRP held, lowest price {lowest}").Classify(true, "exited");
                }
            }
        }

        return true.ToProperty().Classify(false, "exited");
    }

    private static IDisposable Disposing(NaiveStrategyEngine engine) => new Disposer(engine);

    private sealed class Disposer(NaiveStrategyEngine engine) : IDisposable
    {
        public void Dispose() => engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

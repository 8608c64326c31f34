using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NaiveStrategy.Mock;
using NaiveStrategy.Testing;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

public sealed class EngineTests
{
    private static InMemoryExchange Exchange(decimal quote = 1000m, bool partial = false, decimal minNotional = 1m) => new(new InMemoryExchangeOptions
    {
        Symbols = { Filters(minNotional: minNotional) },
        Balances = { ["USDT"] = quote },
        PartialFills = partial,
    });

    private static NaiveStrategyEngine Engine(InMemoryExchange exchange, SymbolSettings settings, ILoggerFactory? logs = null, TimeProvider? time = null, NaiveStrategyOptions? options = null)
    {
        options ??= new NaiveStrategyOptions();
        options.Symbols.Add(settings);
        return new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("t"), time ?? exchange.Clock, logs);
    }

    private static IEnumerable<decimal> FallThenRise()
    {
        for (var p = 1.0000m; p > 0.80m; p -= 0.005m)
        {
            yield return p;
        }

        for (var p = 0.80m; p < 1.20m; p += 0.005m)
        {
            yield return p;
        }
    }

    [Fact]
    public async Task Run_FallThenRise_TradersGrowToChunksThenAreReplaced()
    {
        var exchange = Exchange();
        await using var engine = Engine(exchange, Settings(chunks: 5, budget: 100m, buyDown: 0.01m, profit: 0.001m, rebuy: 0.02m));
        var events = new List<StrategyEvent>();
        using var _ = engine.Events.Subscribe(events.Add);
        await engine.StartAsync();

        var maxTraders = 0;
        long id = 0;
        foreach (var price in FallThenRise())
        {
            exchange.PublishTrade(Trade(price, ++id));
            maxTraders = Math.Max(maxTraders, engine.GetState("XRPUSDT")!.Traders.Count);
        }

        maxTraders.Should().Be(5);
        var started = events.Select(e => e.Event).OfType<TraderStarted>().ToList();
        started.Select(s => s.Reason).Should().StartWith([TraderStartReason.Initial, TraderStartReason.Rebuy]);
        started.Should().Contain(s => s.Reason == TraderStartReason.Replacement);
        events.Select(e => e.Event).OfType<TraderFinished>().Should().OnlyContain(f => f.Outcome == TraderOutcome.Completed).And.NotBeEmpty();
        started.Select(s => s.TraderId).Should().OnlyHaveUniqueItems();
        exchange.Orders.Select(o => o.ClientOrderId).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Run_EveryTraderLogLine_CarriesTraderIdField()
    {
        var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var exchange = Exchange();
        await using var engine = Engine(exchange, Settings(chunks: 2, rebuy: 0.02m, profit: 0.001m), factory);
        await engine.StartAsync();
        long id = 0;
        foreach (var price in FallThenRise())
        {
            exchange.PublishTrade(Trade(price, ++id));
        }

        var traderLines = logs.Entries.Where(e => e.Message.Contains("trader(", StringComparison.Ordinal)).ToList();
        traderLines.Should().NotBeEmpty();
        traderLines.Should().OnlyContain(e => e.State.ContainsKey("TraderId") && e.Message.Contains((string)e.State["TraderId"]!, StringComparison.Ordinal));
        logs.Entries.Should().Contain(e => e.Message.StartsWith("Initializing new trader(t-XRPUSDT-1) for XRPUSDT", StringComparison.Ordinal));
        logs.Entries.Should().Contain(e => e.Message == "Rebuy triggered for XRPUSDT by the trader(t-XRPUSDT-1)");
        logs.Entries.Should().Contain(e => e.Message == "All traders already started for XRPUSDT" && e.State.ContainsKey("TraderId"));
        logs.Entries.Should().Contain(e => e.Message == "Starting new trader for XRPUSDT" && e.State.ContainsKey("TraderId"));
        logs.Entries.Should().Contain(e => e.Message == "XRPUSDT trader finished trade - restarting");
    }

    [Fact]
    public async Task Run_EventObserverThrows_TradingGoesOnAndTheErrorIsLogged()
    {
        var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var exchange = Exchange();
        await using var engine = Engine(exchange, Settings(chunks: 2, rebuy: 0.02m, profit: 0.001m), factory);
        var seen = new List<StrategyEvent>();
        using var good = engine.Events.Subscribe(seen.Add);
        using var bad = engine.Events.Subscribe(_ => throw new InvalidOperationException("the application's bug"));
        await engine.StartAsync();
        long id = 0;
        foreach (var price in FallThenRise())
        {
            exchange.PublishTrade(Trade(price, ++id));
        }

        seen.Select(e => e.Event).OfType<TraderFinished>().Should().Contain(f => f.Outcome == TraderOutcome.Completed);
        logs.Entries.Should().Contain(e => e.Message.StartsWith("An observer of the engine's events threw on XRPUSDT TraderStarted", StringComparison.Ordinal));
        logs.Entries.Should().NotContain(e => e.Message.Contains("failed to process an input", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_PlacementAcceptedButAnswerLost_QueriesAndNeverPlacesTwice()
    {
        var exchange = Exchange();
        var time = new FakeTimeProvider(T0);
        await using var engine = Engine(exchange, Settings(), time: time);
        await engine.StartAsync();
        exchange.InjectPlacementFault(new ExchangeError(ExchangeErrorKind.Unknown, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown."), acceptOrder: true);

        exchange.PublishTrade(Trade(1.0m, 1));
        engine.GetState("XRPUSDT")!.Traders[0].BuyOrder!.Status.Should().Be(OrderStatus.PendingNew);
        await AdvanceUntil(time, () => engine.GetState("XRPUSDT")!.Traders[0].BuyOrder!.Status == OrderStatus.New);

        exchange.Orders.Should().ContainSingle();
        exchange.PublishTrade(Trade(0.5m, 2));
        engine.GetState("XRPUSDT")!.Traders[0].SellOrder.Should().NotBeNull();
        exchange.Orders.Should().HaveCount(2);
    }

    [Fact]
    public async Task Run_PlacementLostBeforeExchange_PlacedOnceAfterQueryFindsNothing()
    {
        var exchange = Exchange();
        var time = new FakeTimeProvider(T0);
        await using var engine = Engine(exchange, Settings(), time: time);
        await engine.StartAsync();
        exchange.InjectPlacementFault(new ExchangeError(ExchangeErrorKind.Unknown, 0, "HTTP 502"), acceptOrder: false);

        exchange.PublishTrade(Trade(1.0m, 1));
        await AdvanceUntil(time, () => engine.GetState("XRPUSDT")!.Traders[0].BuyOrder!.Status == OrderStatus.New);

        exchange.Orders.Should().ContainSingle().Which.ClientOrderId.Should().Be("t-XRPUSDT-1-b");
    }

    [Fact]
    public async Task Run_ResendAnsweredDuplicate_QueriedAsPlacedNeverRejected()
    {
        var exchange = Exchange();
        var time = new FakeTimeProvider(T0);
        await using var engine = Engine(exchange, Settings(), time: time);
        await engine.StartAsync();
        exchange.InjectPlacementFault(new ExchangeError(ExchangeErrorKind.Unknown, 0, "HTTP 502"), acceptOrder: false);
        exchange.InjectPlacementFault(new ExchangeError(ExchangeErrorKind.Duplicate, -2010, "Duplicate order sent."), acceptOrder: true);

        exchange.PublishTrade(Trade(1.0m, 1));
        await AdvanceUntil(time, () => engine.GetState("XRPUSDT")!.Traders[0].BuyOrder!.Status == OrderStatus.New);

        exchange.Orders.Should().ContainSingle().Which.ClientOrderId.Should().Be("t-XRPUSDT-1-b");
    }

    [Fact]
    public async Task Run_OrderStreamFailsWhileAFillHappens_ResubscribedAndReconciled()
    {
        var exchange = Exchange();
        var dropping = new DroppingExchange(exchange);
        var options = new NaiveStrategyOptions { RetryDelay = TimeSpan.FromMilliseconds(10) };
        options.Symbols.Add(Settings());
        await using var engine = new NaiveStrategyEngine(dropping, exchange, Options.Create(options), new TraderIdGenerator("t"), TimeProvider.System);
        var events = new List<StrategyEvent>();
        using var _ = engine.Events.Subscribe(e => { lock (events) { events.Add(e); } });
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));

        dropping.Drop();                         // the stream fails...
        exchange.PublishTrade(Trade(0.5m, 2));   // ...while the BUY fills

        await Signal.UntilAsync(() => engine.GetState("XRPUSDT")!.Traders[0].SellOrder is not null, TimeSpan.FromSeconds(10), engine.Events, exchange.OrderUpdates);

        lock (events)
        {
            events.Select(e => e.Event).OfType<StreamResubscribed>().Should().ContainSingle().Which.Stream.Should().Be(StrategyStream.OrderUpdates);
        }

        exchange.Orders.Should().HaveCount(2, "the fill missed during the gap was found by the reconciliation");
    }

    [Fact]
    public async Task Run_TraderCrashesOnItsFill_OrderQueriedAgainAndTheFillApplied()
    {
        var inner = Exchange();
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings(chunks: 1, budget: 20m));
        await using var engine = new NaiveStrategyEngine(new CorruptFillExchange(inner), inner, Options.Create(options), new TraderIdGenerator("t"), inner.Clock);
        var events = new List<StrategyEvent>();
        using var _ = engine.Events.Subscribe(events.Add);
        await engine.StartAsync();

        inner.PublishTrade(Trade(1.0m, 1));
        inner.PublishTrade(Trade(0.97m, 2));

        events.Select(e => e.Event).OfType<TraderCrashed>().Should().ContainSingle();
        var trader = engine.GetState("XRPUSDT")!.Traders.Should().ContainSingle().Subject;
        trader.BuyOrder!.Status.Should().Be(OrderStatus.Filled);
        trader.SellOrder!.Quantity.Should().Be(19m, "the fill as the exchange has it: 20 bought, 0.02 fee");
        inner.Orders.Select(o => o.Side).Should().Equal(OrderSide.Buy, OrderSide.Sell);
    }

    [Fact]
    public async Task Run_TraderCrashesOnEveryUpdate_QueriedAFewTimesThenLeft()
    {
        var exchange = Exchange();
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings(chunks: 1, budget: 20m));
        await using var engine = new NaiveStrategyEngine(new CorruptFillExchange(exchange, always: true), exchange, Options.Create(options), new TraderIdGenerator("t"), exchange.Clock);
        var events = new List<StrategyEvent>();
        using var _ = engine.Events.Subscribe(events.Add);
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));

        exchange.PublishTrade(Trade(0.97m, 2));

        events.Select(e => e.Event).OfType<TraderCrashed>().Should().HaveCount(4, "the stream's update, then three queries");
        engine.GetState("XRPUSDT")!.Traders.Single().BuyOrder!.Status.Should().Be(OrderStatus.New);
    }

    [Fact]
    public async Task Run_FillsArriveBeforePlacementAnswers_TraderCompletesAndIsReplaced()
    {
        var inner = Exchange();
        var held = new HeldAnswerExchange(inner);
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings(chunks: 1, budget: 20m));
        await using var engine = new NaiveStrategyEngine(held, inner, Options.Create(options), new TraderIdGenerator("t"), inner.Clock);
        var events = new List<StrategyEvent>();
        using var _ = engine.Events.Subscribe(e => { lock (events) { events.Add(e); } });
        await engine.StartAsync();

        inner.PublishTrade(Trade(1.0m, 1));   // BUY sent; the exchange has it, its answer is held
        inner.PublishTrade(Trade(0.97m, 2));  // the BUY fills: its report comes before the answer
        var trader = engine.GetState("XRPUSDT")!.Traders.Should().ContainSingle().Subject;
        trader.BuyOrder!.Status.Should().Be(OrderStatus.Filled);
        trader.SellOrder.Should().NotBeNull("the fill report alone makes the trader sell");

        inner.PublishTrade(Trade(1.1m, 3));   // the SELL fills (answer held too); the replacement's BUY follows the same trade
        held.Release();                       // the late answers (NEW) of orders that have filled
        await engine.WaitUntilIdleAsync();

        lock (events)
        {
            events.Select(e => e.Event).OfType<TraderFinished>().Should().ContainSingle().Which.Outcome.Should().Be(TraderOutcome.Completed);
            events.Select(e => e.Event).OfType<TraderStarted>().Select(s => s.Reason).Should().Equal(TraderStartReason.Initial, TraderStartReason.Replacement);
        }

        var replacement = engine.GetState("XRPUSDT")!.Traders.Should().ContainSingle().Subject;
        replacement.TraderId.Should().Be("t-XRPUSDT-2");
        replacement.BuyOrder!.Status.Should().Be(OrderStatus.New, "its own answer, released, was applied");
        inner.Orders.Select(o => o.Side).Should().Equal(OrderSide.Buy, OrderSide.Sell, OrderSide.Buy);
        held.Held.Should().Be(3);
    }

    [Fact]
    public async Task Run_TransientFailure_RetriedThenPlaced()
    {
        var exchange = Exchange();
        var time = new FakeTimeProvider(T0);
        await using var engine = Engine(exchange, Settings(), time: time);
        await engine.StartAsync();
        exchange.InjectPlacementFault(new ExchangeError(ExchangeErrorKind.Transient, -1003, "Too many requests."), acceptOrder: false);

        exchange.PublishTrade(Trade(1.0m, 1));
        exchange.Orders.Should().BeEmpty();
        // The retry runs on a timer's thread: wait for its answer to be applied, not only for the order.
        await AdvanceUntil(time, () => engine.GetState("XRPUSDT")!.Traders[0].BuyOrder!.Status == OrderStatus.New);
        exchange.Orders.Should().ContainSingle();
    }

    [Fact]
    public async Task Run_FreeQuoteBelowShare_WaitsForFundsThenStartsWhenTheyReturn()
    {
        var exchange = Exchange(quote: 5m);
        var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var engine = Engine(exchange, Settings(), factory);
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));

        var state = engine.GetState("XRPUSDT")!;
        state.Status.Should().Be(SymbolStatus.On);
        state.WaitingForFunds.Should().BeTrue();
        state.Traders.Should().BeEmpty();
        exchange.Orders.Should().BeEmpty();
        logs.Entries.Should().Contain(e => e.Message == "XRPUSDT is waiting for funds: a trader needs 20 USDT, 5 USDT free; it starts when they return");

        exchange.Deposit("USDT", 100m);
        for (var id = 2; id < 100 && exchange.Orders.Count == 0; id++)
        {
            exchange.PublishTrade(Trade(1.0m, id));
        }

        engine.GetState("XRPUSDT")!.WaitingForFunds.Should().BeFalse();
        exchange.Orders.Should().ContainSingle().Which.Side.Should().Be(OrderSide.Buy);
        logs.Entries.Should().Contain(e => e.Message.StartsWith("XRPUSDT has funds again (105 USDT free)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_BuyRejectedForLackOfFunds_SymbolPausedThenResumedNeverStopped()
    {
        var exchange = Exchange();
        await using var engine = Engine(exchange, Settings());
        var events = new List<StrategyEvent>();
        using var _ = engine.Events.Subscribe(events.Add);
        await engine.StartAsync();
        exchange.InjectPlacementFault(new ExchangeError(ExchangeErrorKind.InsufficientFunds, -2010, "Account has insufficient balance for requested action."), acceptOrder: false);

        exchange.PublishTrade(Trade(1.0m, 1));
        exchange.PublishTrade(Trade(1.0m, 2));

        events.Select(e => e.Event).OfType<SymbolStopped>().Should().BeEmpty();
        events.Select(e => e.Event).OfType<WaitingForFunds>().Should().ContainSingle();
        events.Select(e => e.Event).OfType<TraderStarted>().Select(e => e.Reason).Should().Equal(TraderStartReason.Initial, TraderStartReason.FundsReturned);
        var state = engine.GetState("XRPUSDT")!;
        state.Status.Should().Be(SymbolStatus.On);
        state.WaitingForFunds.Should().BeFalse();
        exchange.Orders.Should().ContainSingle().Which.ClientOrderId.Should().Be(state.Traders.Single().TraderId + "-b");
    }

    [Fact]
    public async Task Run_SellAfterFeeBelowNotional_RefusedBeforeAnyOrderAndSymbolStopsWithTheMessage()
    {
        var exchange = Exchange(minNotional: 10m);
        await using var engine = Engine(exchange, Settings(chunks: 5, budget: 52.5m, buyDown: 0m, profit: -0.0012m));
        var events = new List<StrategyEvent>();
        using var _ = engine.Events.Subscribe(events.Add);
        await engine.StartAsync();

        exchange.PublishTrade(Trade(1.0m, 1));

        const string message = "XRPUSDT: budget/chunks 10.5 gives a SELL notional 9.006, below NOTIONAL 10";
        exchange.Orders.Should().BeEmpty();
        var state = engine.GetState("XRPUSDT")!;
        state.Status.Should().Be(SymbolStatus.Off);
        state.Refusal.Should().Be(message);
        events.Select(e => e.Event).OfType<SymbolStopped>().Should().ContainSingle().Which.Detail.Should().Be(message);
    }

    [Fact]
    public async Task Run_PartialFills_SellOnlyAfterBuyCompletes()
    {
        var exchange = Exchange(partial: true);
        await using var engine = Engine(exchange, Settings(chunks: 1, budget: 20m));
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));
        exchange.PublishTrade(new TradeEvent("XRPUSDT", 2, 0.98m, 5m, T0));
        engine.GetState("XRPUSDT")!.Traders[0].BuyOrder!.ExecutedQuantity.Should().Be(5m);
        engine.GetState("XRPUSDT")!.Traders[0].SellOrder.Should().BeNull();
        exchange.PublishTrade(new TradeEvent("XRPUSDT", 3, 0.98m, 100m, T0));
        var trader = engine.GetState("XRPUSDT")!.Traders[0];
        trader.BuyOrder!.Status.Should().Be(OrderStatus.Filled);
        trader.SellOrder!.Quantity.Should().Be(19m, "20 bought minus 0.02 XRP fee, floored to the step of 1");
    }

    [Fact]
    public async Task StopTrading_OpenOrdersStayOnExchange()
    {
        var exchange = Exchange();
        await using var engine = Engine(exchange, Settings());
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));
        engine.StopTrading("XRPUSDT");
        (await exchange.GetOpenOrdersAsync("XRPUSDT")).Value.Should().ContainSingle();
        exchange.PublishTrade(Trade(0.5m, 2));
        engine.GetState("XRPUSDT")!.Traders.Should().BeEmpty();
    }

    [Fact]
    public async Task StartTradingAsync_UnknownSymbol_ThrowsNamingIt()
    {
        await using var engine = Engine(Exchange(), Settings());
        var act = () => engine.StartTradingAsync(Settings() with { Symbol = "DOGEUSDT" });
        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*DOGEUSDT*-1121*");
    }

    [Fact]
    public void AddNaiveStrategy_InvalidSettings_FailsAtStartNamingField()
    {
        var services = new ServiceCollection();
        services.AddNaiveStrategy(o => o.AddSymbol("XRPUSDT", s => s with { Chunks = 0 })).AddMockExchange(o => o.Symbols.Add(Filters()));
        using var provider = services.BuildServiceProvider();
        var act = () => provider.GetRequiredService<NaiveStrategyEngine>();
        act.Should().Throw<OptionsValidationException>().WithMessage("*chunks must be >= 1, got 0*");
    }

    [Fact]
    public async Task AddNaiveStrategy_WithMockExchange_AutostartsOnSymbols()
    {
        var services = new ServiceCollection();
        services.AddNaiveStrategy(o => o.AddSymbol("XRPUSDT"))
            .AddMockExchange(o => { o.Symbols.Add(Filters()); o.Balances["USDT"] = 100m; }, useMarketClock: true);
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<NaiveStrategyEngine>();
        foreach (var hosted in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(provider.GetRequiredService<InMemoryExchange>().Clock);
        engine.GetState("XRPUSDT")!.Traders.Should().ContainSingle();
    }

    [Property(MaxTest = 60)]
    public Property Run_RandomPrices_InvariantsHold(NonEmptyArray<int> moves, PositiveInt chunks, bool partial)
    {
        var exchange = Exchange(quote: 1_000_000m, partial: partial, minNotional: 5m);
        var settings = Settings(chunks: 1 + (chunks.Get % 6), budget: 600m, buyDown: 0.002m, profit: 0.001m, rebuy: 0.01m);
        var engine = Engine(exchange, settings);
        engine.StartAsync().GetAwaiter().GetResult();
        var filters = Filters(minNotional: 5m);
        var price = 1.0m;
        var ok = true;
        long id = 0;
        foreach (var move in moves.Get)
        {
            price = Math.Max(0.1m, price + ((move % 21) - 10) * 0.003m);
            exchange.PublishTrade(new TradeEvent("XRPUSDT", ++id, price, 1 + Math.Abs(move % 50), T0.AddSeconds(id)));
            var state = engine.GetState("XRPUSDT")!;
            ok &= state.Traders.Count <= settings.Chunks;
            ok &= state.Traders.Select(t => t.TraderId).Distinct().Count() == state.Traders.Count;
            ok &= state.Traders.All(t => !(t.BuyOrder is { IsOpen: true } && t.SellOrder is { IsOpen: true }));
        }

        var orders = exchange.Orders;
        ok &= orders.All(o => filters.FindFilterFailure(o.Price, o.Quantity) is null);
        ok &= orders.Select(o => o.ClientOrderId).Distinct().Count() == orders.Count;
        engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return ok.ToProperty();
    }

    private static Task AdvanceUntil(FakeTimeProvider time, Func<bool> condition) =>
        Wait.UntilAsync(condition, "the condition, the clock advancing 1 s per check", betweenChecks: () => time.Advance(TimeSpan.FromSeconds(1)));
}

internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public List<(string Message, Dictionary<string, object?> State)> Entries { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            lock (owner.Entries)
            {
                owner.Entries.Add((formatter(state, exception), fields.ToDictionary(k => k.Key, k => k.Value)));
            }
        }
    }
}

// Delegates to the in-memory exchange; its order stream can be made to fail, losing what happens until it is subscribed again.
internal sealed class DroppingExchange(InMemoryExchange inner) : DelegatingExchange(inner)
{
    private readonly List<IObserver<OrderUpdate>> _observers = [];
    private volatile bool _down;

    public override IObservable<OrderUpdate> OrderUpdates => System.Reactive.Linq.Observable.Create<OrderUpdate>(observer =>
    {
        _down = false;
        var subscription = InnerExchange.OrderUpdates.Subscribe(u =>
        {
            if (!_down)
            {
                observer.OnNext(u);
            }
        });
        lock (_observers)
        {
            _observers.Add(observer);
        }

        return () =>
        {
            subscription.Dispose();
            lock (_observers)
            {
                _observers.Remove(observer);
            }
        };
    });

    public void Drop()
    {
        _down = true;
        IObserver<OrderUpdate>[] current;
        lock (_observers)
        {
            current = [.. _observers];
        }

        foreach (var observer in current)
        {
            observer.OnError(new IOException("dropped"));
        }
    }
}

// Delegates to the in-memory exchange; the first fill of a BUY on the order stream arrives with an executed
// quantity no trader can size a SELL from (its notional overflows), so the trader crashes on it.
// With `always`, every answer about such a fill is corrupt, order queries included.
internal sealed class CorruptFillExchange(InMemoryExchange inner, bool always = false) : DelegatingExchange(inner)
{
    private int _corrupted;

    public override IObservable<OrderUpdate> OrderUpdates => System.Reactive.Linq.Observable.Select(InnerExchange.OrderUpdates, Corrupt);

    public override async ValueTask<ExchangeResult<OrderUpdate>> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default)
    {
        var found = await InnerExchange.GetOrderAsync(symbol, clientOrderId, cancellationToken);
        return always && found.IsSuccess ? Corrupt(found.Value) : found;
    }

    private OrderUpdate Corrupt(OrderUpdate update) =>
        update is { Side: OrderSide.Buy, Status: OrderStatus.Filled } && (always || Interlocked.Exchange(ref _corrupted, 1) == 0) ? update with { ExecutedQuantity = decimal.MaxValue } : update;
}

// Delegates to the in-memory exchange; a placement reaches the exchange at once, but its answer is held until
// Release, as when the user data stream reports a fill before the WebSocket API answers the placement.
internal sealed class HeldAnswerExchange(InMemoryExchange inner) : IExchange
{
    private readonly List<(TaskCompletionSource<ExchangeResult<OrderUpdate>> Answer, ExchangeResult<OrderUpdate> Result)> _held = [];

    public int Held { get; private set; }

    public IObservable<OrderUpdate> OrderUpdates => inner.OrderUpdates;

    public void Release()
    {
        (TaskCompletionSource<ExchangeResult<OrderUpdate>> Answer, ExchangeResult<OrderUpdate> Result)[] held;
        lock (_held)
        {
            held = [.. _held];
            _held.Clear();
        }

        foreach (var (answer, result) in held)
        {
            answer.SetResult(result);
        }
    }

    public async ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default)
    {
        var result = await inner.PlaceLimitOrderAsync(request, cancellationToken);
        var answer = new TaskCompletionSource<ExchangeResult<OrderUpdate>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_held)
        {
            _held.Add((answer, result));
            Held++;
        }

        return await answer.Task;
    }

    public ValueTask<ExchangeResult<SymbolFilters>> GetSymbolFiltersAsync(string symbol, CancellationToken cancellationToken = default) => inner.GetSymbolFiltersAsync(symbol, cancellationToken);

    public ValueTask<ExchangeResult<OrderUpdate>> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default) => inner.GetOrderAsync(symbol, clientOrderId, cancellationToken);

    public ValueTask<ExchangeResult<OrderUpdate>> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default) => inner.CancelOrderAsync(symbol, clientOrderId, cancellationToken);

    public ValueTask<ExchangeResult<IReadOnlyList<OrderFill>>> GetOrderFillsAsync(string symbol, long orderId, CancellationToken cancellationToken = default) => inner.GetOrderFillsAsync(symbol, orderId, cancellationToken);

    public ValueTask<ExchangeResult<IReadOnlyList<OrderUpdate>>> GetOpenOrdersAsync(string symbol, CancellationToken cancellationToken = default) => inner.GetOpenOrdersAsync(symbol, cancellationToken);

    public ValueTask<ExchangeResult<IReadOnlyList<Balance>>> GetBalancesAsync(CancellationToken cancellationToken = default) => inner.GetBalancesAsync(cancellationToken);
}

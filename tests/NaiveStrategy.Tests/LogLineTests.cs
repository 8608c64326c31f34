using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaiveStrategy.Engine;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// The book's log lines (docs/strategy.md, "Log lines") word for word: readers of the book search for them.
public sealed class LogLineTests
{
    private static (string Message, Dictionary<string, object?> State) Single(params TradingEvent[] events)
    {
        var logs = new RecordingLoggerProvider();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)))
        {
            var log = new EventLog(factory.CreateLogger("test"), _ => Filters());
            foreach (var e in events)
            {
                log.OnNext(new StrategyEvent("XRPUSDT", T0, e));
            }
        }

        return logs.Entries.Should().ContainSingle().Subject;
    }

    [Fact]
    public void Log_EveryGeneratedMessage_HasItsOwnEventId()
    {
        var ids = typeof(EventLog).Assembly.GetType("NaiveStrategy.Engine.Log", throwOnError: true)!
            .GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)
            .Select(m => m.GetCustomAttributes(typeof(LoggerMessageAttribute), false).OfType<LoggerMessageAttribute>().SingleOrDefault())
            .OfType<LoggerMessageAttribute>()
            .Select(a => a.EventId)
            .ToList();

        ids.Should().NotBeEmpty().And.OnlyHaveUniqueItems("operators filter and alert on event ids");
    }

    [Fact]
    public void StaleBuyCanceling_Logged_NamesTraderOrderAndReason()
    {
        var (message, state) = Single(new StaleBuyCanceling("t-1", new OrderSnapshot("t-1-b", OrderSide.Buy, 0.99m, 10m), "waited 00:30:00 unfilled"));

        message.Should().Be("The trader(t-1) is canceling its BUY order t-1-b for XRPUSDT @ 0.99: waited 00:30:00 unfilled");
        state["TraderId"].Should().Be("t-1");
    }

    [Fact]
    public void TraderStarted_Initial_BookLines()
    {
        var logs = new RecordingLoggerProvider();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(logs)))
        {
            new EventLog(factory.CreateLogger("test"), _ => Filters()).OnNext(new StrategyEvent("XRPUSDT", T0, new TraderStarted("t-1", TraderStartReason.Initial, 20m)));
        }

        logs.Entries.Select(e => e.Message).Should().Equal("Starting new trader for XRPUSDT", "Initializing new trader(t-1) for XRPUSDT");
        logs.Entries.Should().OnlyContain(e => (string)e.State["TraderId"]! == "t-1" && (string)e.State["Symbol"]! == "XRPUSDT");
        logs.Entries[0].State["Reason"].Should().Be(TraderStartReason.Initial);
    }

    [Fact]
    public void TraderStarted_Replacement_BookLinesInTheBooksOrder()
    {
        var logs = new RecordingLoggerProvider();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(logs)))
        {
            new EventLog(factory.CreateLogger("test"), _ => Filters()).OnNext(new StrategyEvent("XRPUSDT", T0, new TraderStarted("t-7", TraderStartReason.Replacement, 20m)));
        }

        logs.Entries.Select(e => e.Message).Should().Equal("XRPUSDT trader finished trade - restarting", "Starting new trader for XRPUSDT", "Initializing new trader(t-7) for XRPUSDT");
    }

    [Fact]
    public void OrderPlaced_Buy_BookLineWithoutFinalDot()
    {
        var (message, state) = Single(new OrderPlaced("t-1", new OrderRequest("XRPUSDT", "t-1-b", OrderSide.Buy, 0.99m, 10m)));

        message.Should().Be("The trader(t-1) is placing a BUY order for XRPUSDT @ 0.9900, quantity: 10");
        state["TraderId"].Should().Be("t-1");
    }

    [Fact]
    public void OrderPlaced_Sell_BookLineWithFinalDot()
    {
        var (message, state) = Single(new OrderPlaced("t-1", new OrderRequest("XRPUSDT", "t-1-s", OrderSide.Sell, 1.012m, 10m)));

        message.Should().Be("The trader(t-1) is placing a SELL order for XRPUSDT @ 1.0120, quantity: 10.");
        state["TraderId"].Should().Be("t-1");
    }

    [Fact]
    public void OrderFilled_PartiallyFilledBuy_BookLineWithItsUnclosedParenthesis()
    {
        var order = new OrderSnapshot("t-1-b", OrderSide.Buy, 0.99m, 10m) { Status = OrderStatus.PartiallyFilled, ExecutedQuantity = 4m };

        var (message, state) = Single(new OrderFilled("t-1", order));

        message.Should().Be("Trader's(t-1 XRPUSDT BUY order got partially filled");
        state["Executed"].Should().Be(4m);
        state["Quantity"].Should().Be(10m);
    }

    [Fact]
    public void RebuyTriggered_BookLine_PriceAsAField()
    {
        var (message, state) = Single(new RebuyTriggered("t-1", 0.89m));

        message.Should().Be("Rebuy triggered for XRPUSDT by the trader(t-1)");
        state["Price"].Should().Be(0.89m);
    }

    [Fact]
    public void AllTradersStarted_BookLine_NotifyingTraderAsAField()
    {
        var (message, state) = Single(new AllTradersStarted("t-5"));

        message.Should().Be("All traders already started for XRPUSDT");
        state["TraderId"].Should().Be("t-5");
    }

    [Fact]
    public void TraderFinished_Completed_BookLine()
    {
        var (message, _) = Single(new TraderFinished("t-3", TraderOutcome.Completed, "sold"));

        message.Should().Be("Trader(t-3) finished trade cycle for XRPUSDT");
    }

    [Fact]
    public void UnknownTraderNotified_BookWarning_TraderAndSymbolAsFields()
    {
        var logs = new RecordingLoggerProvider();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(logs)))
        {
            new EventLog(factory.CreateLogger("test"), _ => Filters()).OnNext(new StrategyEvent("XRPUSDT", T0, new UnknownTraderNotified("t-404")));
        }

        var (message, state) = logs.Entries.Should().ContainSingle().Subject;
        message.Should().Be("Rebuy triggered by trader that leader is not aware of");
        state["TraderId"].Should().Be("t-404");
        state["Symbol"].Should().Be("XRPUSDT");
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public void UnknownOrderUpdate_LateOrNot_WarningOnlyWhenNotLate(bool late, int linesAtInformation)
    {
        var logs = new RecordingLoggerProvider();
        var update = new OrderUpdate("XRPUSDT", "t-1-s", 7, OrderSide.Sell, 1m, 1m, 1m, OrderStatus.Filled, 0m, null, T0);
        using (var factory = LoggerFactory.Create(b => b.AddProvider(logs)))
        {
            new EventLog(factory.CreateLogger("test"), _ => Filters()).OnNext(new StrategyEvent("XRPUSDT", T0, new UnknownOrderUpdate(update) { Late = late }));
        }

        logs.Entries.Should().HaveCount(linesAtInformation, "a late final update is a Debug line; anything else a warning");
    }

    // The same lines from a real run: the engine's events reach the log as the book prints them.
    [Fact]
    public async Task Run_PartialFillsFallThenRise_EveryBookLineAppearsExactly()
    {
        var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Filters(minNotional: 1m) }, Balances = { ["USDT"] = 1000m }, PartialFills = true });
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings(chunks: 2, rebuy: 0.02m, profit: 0.001m));
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("t"), exchange.Clock, factory);
        await engine.StartAsync();
        long id = 0;
        for (var p = 1.0000m; p > 0.80m; p -= 0.005m)
        {
            exchange.PublishTrade(Trade(p, ++id, quantity: 4m));
        }

        for (var p = 0.80m; p < 1.20m; p += 0.005m)
        {
            exchange.PublishTrade(Trade(p, ++id, quantity: 4m));
        }

        var messages = logs.Entries.Select(e => e.Message).ToList();
        messages.Should().Contain("Starting new trader for XRPUSDT")
            .And.Contain("Initializing new trader(t-XRPUSDT-1) for XRPUSDT")
            .And.Contain("The trader(t-XRPUSDT-1) is placing a BUY order for XRPUSDT @ 0.9900, quantity: 50")
            .And.Contain("Trader's(t-XRPUSDT-1 XRPUSDT BUY order got partially filled")
            .And.Contain("Rebuy triggered for XRPUSDT by the trader(t-XRPUSDT-1)")
            .And.Contain("All traders already started for XRPUSDT")
            .And.Contain("Trader(t-XRPUSDT-1) finished trade cycle for XRPUSDT")
            .And.Contain("XRPUSDT trader finished trade - restarting");
        messages.Should().Contain(m => System.Text.RegularExpressions.Regex.IsMatch(m, @"^The trader\(t-XRPUSDT-1\) is placing a SELL order for XRPUSDT @ \d+\.\d{4}, quantity: \d+\.$"));
    }
}

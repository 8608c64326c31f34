using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace NaiveStrategy.Notifications.Tests;

public sealed class ProjectionTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Notification? Project(TradingEvent e) => NotificationProjection.Project(new StrategyEvent("XRPUSDT", T0, e));

    [Fact]
    public void Project_CompleteFill_IsFillWithSideQuantityAndPrice()
    {
        var order = new OrderSnapshot("t1-b", OrderSide.Buy, 0.4999m, 200m) { Status = OrderStatus.Filled, ExecutedQuantity = 200m };

        var n = Project(new OrderFilled("t1", order));

        n.Should().Be(new Notification(NotificationEvents.Fills, "XRPUSDT", T0, "XRPUSDT: BUY filled, 200 at 0.4999 (trader t1, order t1-b)"));
    }

    [Fact]
    public void Project_PartialFill_IsNotTold()
    {
        var order = new OrderSnapshot("t1-b", OrderSide.Buy, 0.5m, 200m) { Status = OrderStatus.PartiallyFilled, ExecutedQuantity = 50m };

        Project(new OrderFilled("t1", order)).Should().BeNull();
    }

    [Fact]
    public void Project_CompletedTrader_IsCycle() =>
        Project(new TraderFinished("t1", TraderOutcome.Completed, "")).Should().Match<Notification>(n => n.Kind == NotificationEvents.Cycles && n.Text == "XRPUSDT: trader t1 finished its cycle");

    [Fact]
    public void Project_TraderEndedOtherwise_IsError() =>
        Project(new TraderFinished("t1", TraderOutcome.Rejected, "BUY rejected")).Should().Match<Notification>(n => n.Kind == NotificationEvents.Errors && n.Text.Contains("BUY rejected"));

    [Fact]
    public void Project_SettingsRefused_IsGuard() =>
        Project(new SettingsRefused("t1", "NOTIONAL", "the SELL is below 5 USDT")).Should().Match<Notification>(n => n.Kind == NotificationEvents.Guards && n.Text.Contains("NOTIONAL"));

    [Fact]
    public void Project_GuardTriggered_IsGuardWithFigureAndAction() =>
        Project(new GuardTriggered(GuardKind.StopLoss, GuardAction.Exit, 0.45m, 0.45m, 0.46m, T0))
            .Should().Be(new Notification(NotificationEvents.Guards, "XRPUSDT", T0, "XRPUSDT: StopLoss guard fired at 0.45 (0.45 against 0.46), action Exit"));

    [Fact]
    public void Project_GuardExitFilled_IsGuardWithWhatItSold() =>
        Project(new GuardExitFilled("x-exit", OrderStatus.Filled, 160m, 94.51m, "USDT"))
            .Should().Match<Notification>(n => n.Kind == NotificationEvents.Guards && n.Text.Contains("sold 160 for 94.51 USDT"));

    [Fact]
    public void Project_GuardExitNotSent_IsError() =>
        Project(new GuardExitNotSent(3m, "NOTIONAL", "XRPUSDT: 3 XRP is below NOTIONAL 5"))
            .Should().Match<Notification>(n => n.Kind == NotificationEvents.Errors && n.Text.Contains("NOTIONAL"));

    [Fact]
    public void Project_SymbolStopped_IsStopWithOpenOrders() =>
        Project(new SymbolStopped(SymbolStopReason.Stopped, [new OrderSnapshot("t1-s", OrderSide.Sell, 0.6m, 10m)]))
            .Should().Match<Notification>(n => n.Kind == NotificationEvents.Stops && n.Text.Contains("1 open order(s) left"));

    [Fact]
    public void Project_Rejection_IsError() =>
        Project(new OrderRejected("t1", "t1-b", new ExchangeError(ExchangeErrorKind.Rejected, -2010, "Account has insufficient balance")))
            .Should().Match<Notification>(n => n.Kind == NotificationEvents.Errors && n.Text.Contains("-2010"));

    [Fact]
    public void Project_ResubscribeWithoutError_IsNotTold() =>
        Project(new StreamResubscribed(StrategyStream.MarketTrades, null, 1, TimeSpan.FromSeconds(1))).Should().BeNull();

    [Fact]
    public void Project_Readiness_SaysReadyOrWhy()
    {
        NotificationProjection.Project(new EngineReadiness { Status = EngineReadinessStatus.Ready }, T0).Text.Should().Be("engine ready");
        NotificationProjection.Project(new EngineReadiness { Status = EngineReadinessStatus.Ready, StoreError = "disk full" }, T0).Text
            .Should().Be("engine not ready: the store cannot write: disk full");
    }

    // Each notification has exactly one kind, one of the six a filter can name.
    [Property]
    public Property Project_AnyFill_HasOneKind() =>
        Prop.ForAll(
            Gen.Elements(Enum.GetValues<OrderStatus>()).ToArbitrary(),
            status =>
            {
                var n = Project(new OrderFilled("t1", new OrderSnapshot("t1-b", OrderSide.Sell, 1m, 1m) { Status = status }));
                return n is null ? status != OrderStatus.Filled : n.Kind == NotificationEvents.Fills && System.Numerics.BitOperations.PopCount((uint)n.Kind) == 1;
            });
}

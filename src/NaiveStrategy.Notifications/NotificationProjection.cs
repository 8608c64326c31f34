using System.Globalization;

namespace NaiveStrategy.Notifications;

/// <summary>
/// Notifications as a projection of the engine's events, as logs and metrics are: the one place that decides which
/// event is worth a message and words it. Pure: no I/O, no clock.
/// </summary>
internal static class NotificationProjection
{
    public static Notification? Project(StrategyEvent e)
    {
        var s = e.Symbol;
        return e.Event switch
        {
            OrderFilled { Order: { Status: OrderStatus.Filled } o } f =>
                new(NotificationEvents.Fills, s, e.Time, Invariant($"{s}: {Side(o.Side)} filled, {o.ExecutedQuantity} at {o.Price} (trader {f.TraderId}, order {o.ClientOrderId})")),
            TraderFinished { Outcome: TraderOutcome.Completed } f =>
                new(NotificationEvents.Cycles, s, e.Time, $"{s}: trader {f.TraderId} finished its cycle"),
            TraderFinished f =>
                new(NotificationEvents.Errors, s, e.Time, $"{s}: trader {f.TraderId} ended ({f.Outcome}): {f.Detail}"),
            SettingsRefused r =>
                new(NotificationEvents.Guards, s, e.Time, $"{s}: settings refused by the {r.Filter} filter: {r.Message}"),
            OrderNotSent n =>
                new(NotificationEvents.Guards, s, e.Time, Invariant($"{s}: {Side(n.Side)} of {n.Quantity} at {n.Price} not sent (trader {n.TraderId}): {n.Filter}")),
            StaleBuyCanceling c =>
                new(NotificationEvents.Guards, s, e.Time, Invariant($"{s}: canceling trader {c.TraderId}'s stale BUY at {c.Order.Price}: {c.Reason}")),
            WaitingForFunds w =>
                new(NotificationEvents.Guards, s, e.Time, Invariant($"{s}: waiting for funds, {w.Needed} {w.Asset} needed, {w.Available} free")),
            GuardTriggered g =>
                new(NotificationEvents.Guards, s, e.Time, Invariant($"{s}: {g.Guard} guard fired at {g.Price} ({g.Figure} against {g.Threshold}), action {g.Action}")),
            GuardExitFilled x =>
                new(NotificationEvents.Guards, s, e.Time, Invariant($"{s}: guard exit {x.Status}: sold {x.Sold} for {x.Proceeds} {x.Asset} (order {x.ClientOrderId})")),
            GuardExitNotSent n =>
                new(NotificationEvents.Errors, s, e.Time, Invariant($"{s}: guard exit of {n.Quantity} not sent ({n.Filter}): {n.Message}")),
            SymbolStopped stopped =>
                new(NotificationEvents.Stops, s, e.Time, $"{s}: stopped ({stopped.Reason}{(stopped.Detail is null ? "" : ": " + stopped.Detail)}), {stopped.OpenOrders.Count} open order(s) left"),
            ShutdownStarted =>
                new(NotificationEvents.Stops, s, e.Time, $"{s}: shutting down (traders finish their cycle, none start)"),
            OrderRejected r =>
                new(NotificationEvents.Errors, s, e.Time, $"{s}: order {r.ClientOrderId} of trader {r.TraderId} rejected: {r.Error}"),
            TraderCrashed c =>
                new(NotificationEvents.Errors, s, e.Time, $"{s}: trader {c.TraderId} crashed: {c.Exception.GetType().Name}: {c.Exception.Message}"),
            StreamResubscribed { Error: { } error } r =>
                new(NotificationEvents.Errors, s, e.Time, $"{s}: {r.Stream} stream failed ({error.GetType().Name}: {error.Message}); attempt {r.Attempt.ToString(CultureInfo.InvariantCulture)} in {r.Delay}"),
            _ => null,
        };
    }

    /// <summary>A readiness report as a notification; its text is what the health check says (<see cref="EngineReadiness.ToString"/>).</summary>
    public static Notification Project(EngineReadiness readiness, DateTimeOffset time) =>
        new(NotificationEvents.Readiness, null, time, readiness.IsReady ? "engine ready" : $"engine not ready: {readiness}");

    private static string Side(OrderSide side) => side == OrderSide.Buy ? "BUY" : "SELL";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

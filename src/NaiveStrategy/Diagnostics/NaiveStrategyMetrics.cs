namespace NaiveStrategy;

/// <summary>
/// Names of the engine's meter and instruments (System.Diagnostics.Metrics), for listeners such as
/// OpenTelemetry's <c>AddMeter(NaiveStrategyMetrics.MeterName)</c>. Every instrument but the latency
/// histogram carries the tag <see cref="SymbolTag"/>.
/// </summary>
public static class NaiveStrategyMetrics
{
    /// <summary>The meter every engine publishes on (one meter per engine, its scope the engine).</summary>
    public const string MeterName = "NaiveStrategy";

    /// <summary>The tag naming the symbol.</summary>
    public const string SymbolTag = "symbol";

    /// <summary>Counter: market trades the symbol's pipeline handled.</summary>
    public const string TradesProcessed = "naive.trades.processed";

    /// <summary>Counter: orders handed to the exchange (<see cref="OrderPlaced"/>).</summary>
    public const string OrdersPlaced = "naive.orders.placed";

    /// <summary>Counter: orders filled completely (<see cref="OrderFilled"/> with status FILLED).</summary>
    public const string OrdersFilled = "naive.orders.filled";

    /// <summary>Counter: orders the exchange refused for good (<see cref="OrderRejected"/>).</summary>
    public const string OrdersRejected = "naive.orders.rejected";

    /// <summary>Counter: risk guards that fired (<see cref="GuardTriggered"/>), tagged with <see cref="GuardTag"/> too.</summary>
    public const string GuardsFired = "naive.guards.fired";

    /// <summary>The tag naming the guard that fired (<see cref="GuardKind"/>: StopLoss, TakeProfit, MaxDrawdown, MaxDailyLoss).</summary>
    public const string GuardTag = "guard";

    /// <summary>Gauge: traders running (not yet finished).</summary>
    public const string TradersActive = "naive.traders.active";

    /// <summary>Gauge: the symbol's realized PnL in its quote asset (<see cref="SymbolSnapshot.RealizedPnl"/>).</summary>
    public const string RealizedPnl = "naive.pnl.realized";

    /// <summary>
    /// Histogram, seconds: from a market trade or an order update (a fill) entering its symbol's pipeline
    /// to the order it made handed to the placement runner (which calls the exchange at once on its first
    /// attempt). Orders made by control inputs (start, restore) are not timed.
    /// </summary>
    public const string TickToOrder = "naive.tick_to_order.duration";
}

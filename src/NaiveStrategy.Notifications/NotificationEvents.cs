namespace NaiveStrategy.Notifications;

/// <summary>Which of the engine's events a notification target hears about; combine with <c>|</c> (in configuration: <c>"Fills, Errors"</c>).</summary>
[Flags]
public enum NotificationEvents
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>An order filled completely (<see cref="OrderFilled"/>; partial fills are not told).</summary>
    Fills = 1,

    /// <summary>A trader finished its BUY-then-SELL cycle (<see cref="TraderFinished"/>, completed).</summary>
    Cycles = 2,

    /// <summary>
    /// A safety rule held the strategy back: settings the filters refuse (<see cref="SettingsRefused"/>), an order
    /// not sent (<see cref="OrderNotSent"/>), a stale BUY canceled (<see cref="StaleBuyCanceling"/>), a symbol waiting
    /// for funds (<see cref="WaitingForFunds"/>), a risk guard fired (<see cref="GuardTriggered"/>) and its exit sold
    /// (<see cref="GuardExitFilled"/>; an exit that could not be sent is an error).
    /// </summary>
    Guards = 4,

    /// <summary>A symbol stopped or began shutting down (<see cref="SymbolStopped"/>, <see cref="ShutdownStarted"/>).</summary>
    Stops = 8,

    /// <summary>
    /// Something failed: an order the exchange rejected (<see cref="OrderRejected"/>), a trader that crashed or ended
    /// without completing (<see cref="TraderCrashed"/>, <see cref="TraderFinished"/>), an input stream that failed
    /// (<see cref="StreamResubscribed"/> with an error).
    /// </summary>
    Errors = 16,

    /// <summary>The engine became ready or stopped being ready (<see cref="NaiveStrategyEngine.ReadinessChanged"/>).</summary>
    Readiness = 32,

    /// <summary>Every kind above.</summary>
    All = Fills | Cycles | Guards | Stops | Errors | Readiness,
}

namespace NaiveStrategy;

/// <summary>
/// An effect decided by the Trader or Leader reducers and carried out by the engine (orders, logs,
/// notifications). Reducers never perform effects themselves.
/// </summary>
public abstract record TradingCommand;

/// <summary>Place a limit order for a trader.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Request">The order.</param>
public sealed record PlaceOrder(string TraderId, OrderRequest Request) : TradingCommand;

/// <summary>The trader saw the price fall under its rebuy level and asks for another trader (once).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Price">The market price that triggered it.</param>
public sealed record NotifyRebuy(string TraderId, decimal Price) : TradingCommand;

/// <summary>An order of the trader executed further (partially or fully).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Order">The order after the fill.</param>
public sealed record OrderFilled(string TraderId, TrackedOrder Order) : TradingCommand;

/// <summary>An order was not sent because it breaks the exchange's filters (e.g. under the minimum notional).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Side">Side of the order.</param>
/// <param name="Price">Its price.</param>
/// <param name="Quantity">Its quantity.</param>
/// <param name="Filter">The filter it breaks.</param>
public sealed record OrderNotSent(string TraderId, OrderSide Side, decimal Price, decimal Quantity, string Filter) : TradingCommand;

/// <summary>The trader's life ended.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Outcome">How.</param>
/// <param name="Reason">A sentence for the log.</param>
public sealed record TraderFinished(string TraderId, TraderOutcome Outcome, string Reason) : TradingCommand;

/// <summary>Why a trader was started.</summary>
public enum TraderStartReason
{
    /// <summary>The symbol started trading.</summary>
    Initial,

    /// <summary>Another trader notified a rebuy.</summary>
    Rebuy,

    /// <summary>It replaces a trader that finished.</summary>
    Replacement,
}

/// <summary>The leader started a fresh trader.</summary>
/// <param name="TraderId">The new trader.</param>
/// <param name="Reason">Why.</param>
/// <param name="Budget">Its budget.</param>
public sealed record TraderStarted(string TraderId, TraderStartReason Reason, decimal Budget) : TradingCommand;

/// <summary>A rebuy came while <c>chunks</c> traders already run (or the symbol is shutting down): no trader started.</summary>
/// <param name="TraderId">The trader that notified.</param>
public sealed record AllTradersStarted(string TraderId) : TradingCommand;

/// <summary>A rebuy notification came from a trader the leader does not know: ignored.</summary>
/// <param name="TraderId">The unknown trader id.</param>
public sealed record UnknownTraderNotified(string TraderId) : TradingCommand;

/// <summary>A trader threw while handling an input; it was restored from its last state (same id) and the input dropped.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Exception">What it threw.</param>
public sealed record TraderCrashed(string TraderId, Exception Exception) : TradingCommand;

/// <summary>An update for an order no running trader owns (e.g. an order left by a stopped trader).</summary>
/// <param name="Update">The update.</param>
public sealed record UnknownOrderUpdate(OrderUpdate Update) : TradingCommand;

/// <summary>The symbol stopped trading.</summary>
/// <param name="Reason">Why (stop, shutdown complete, or no trader left).</param>
/// <param name="OpenOrders">Orders left working on the exchange by the traders that were stopped.</param>
public sealed record SymbolStopped(string Reason, IReadOnlyList<TrackedOrder> OpenOrders) : TradingCommand;

/// <summary>Published by the engine when the exchange refused an order for good (after its retry policy).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="ClientOrderId">The order.</param>
/// <param name="Error">The exchange's answer.</param>
public sealed record OrderRejected(string TraderId, string ClientOrderId, ExchangeError Error) : TradingCommand;

namespace NaiveStrategy;

/// <summary>
/// Something that happened to a symbol's traders, decided by the reducers or observed by the engine.
/// The engine publishes them on <see cref="NaiveStrategyEngine.Events"/>; logs, reports and UIs are
/// projections of them. Events change nothing: commands (<see cref="TradingCommand"/>) do.
/// </summary>
public abstract record TradingEvent;

/// <summary>Why a trader was started.</summary>
public enum TraderStartReason
{
    /// <summary>The symbol started trading.</summary>
    Initial,

    /// <summary>Another trader notified a rebuy.</summary>
    Rebuy,

    /// <summary>It replaces a trader that finished.</summary>
    Replacement,

    /// <summary>The symbol waited for funds (<see cref="WaitingForFunds"/>) and the free quote covers a trader again.</summary>
    FundsReturned,
}

/// <summary>Why a symbol stopped trading.</summary>
public enum SymbolStopReason
{
    /// <summary>stop_trading: stopped at once.</summary>
    Stopped,

    /// <summary>shutdown_trading: the last running trader finished its cycle.</summary>
    ShutdownComplete,

    /// <summary>The last trader ended without a completed cycle (rejected or stranded), and is not replaced.</summary>
    NoTraderLeft,

    /// <summary>
    /// The settings cannot trade: a BUY or the SELL after it would break the exchange's filters
    /// (<see cref="SettingsRefused"/>); no new trader started and the last running one finished.
    /// </summary>
    SettingsRefused,

    /// <summary>A risk guard fired (<see cref="GuardTriggered"/>) and its action is over; the symbol stays off until started again.</summary>
    GuardFired,
}

/// <summary>Which input stream of a symbol was subscribed again.</summary>
public enum StrategyStream
{
    /// <summary>Public market trades (<see cref="IMarketData"/>).</summary>
    MarketTrades,

    /// <summary>Updates of our orders (<see cref="IExchange.OrderUpdates"/>).</summary>
    OrderUpdates,
}

/// <summary>The leader started a fresh trader.</summary>
/// <param name="TraderId">The new trader.</param>
/// <param name="Reason">Why.</param>
/// <param name="Budget">Its budget.</param>
public sealed record TraderStarted(string TraderId, TraderStartReason Reason, decimal Budget) : TradingEvent;

/// <summary>A trader saw the price fall under its rebuy level and asked for another trader.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Price">The market price that triggered it.</param>
public sealed record RebuyTriggered(string TraderId, decimal Price) : TradingEvent;

/// <summary>A rebuy came while <c>chunks</c> traders already run (or the symbol is shutting down): no trader started.</summary>
/// <param name="TraderId">The trader that notified.</param>
public sealed record AllTradersStarted(string TraderId) : TradingEvent;

/// <summary>A rebuy notification came from a trader the leader does not know: ignored.</summary>
/// <param name="TraderId">The unknown trader id.</param>
public sealed record UnknownTraderNotified(string TraderId) : TradingEvent;

/// <summary>The engine is sending an order (after it was made durable, before the exchange answers).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Request">The order.</param>
public sealed record OrderPlaced(string TraderId, OrderRequest Request) : TradingEvent;

/// <summary>An order of the trader executed further (partially or fully).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Order">The order after the fill.</param>
public sealed record OrderFilled(string TraderId, OrderSnapshot Order) : TradingEvent;

/// <summary>An order was not sent because it breaks the exchange's filters (e.g. under the minimum notional).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Side">Side of the order.</param>
/// <param name="Price">Its price.</param>
/// <param name="Quantity">Its quantity.</param>
/// <param name="Filter">The exchange filter it breaks (PRICE_FILTER, LOT_SIZE, NOTIONAL or MIN_NOTIONAL).</param>
public sealed record OrderNotSent(string TraderId, OrderSide Side, decimal Price, decimal Quantity, string Filter) : TradingEvent;

/// <summary>The stale-BUY rule asks for a BUY to be canceled, so it can be placed again under the current price.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Order">The BUY as the trader knows it.</param>
/// <param name="Reason">What made it stale, e.g. <c>waited 00:30:00 unfilled</c> or <c>price 0.6300 is 1 % above 0.6237, the price when it was placed</c>.</param>
public sealed record StaleBuyCanceling(string TraderId, OrderSnapshot Order, string Reason) : TradingEvent;

/// <summary>A stale BUY was canceled with nothing executed; the trader places a new BUY at the next trade.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="ClientOrderId">The canceled BUY.</param>
public sealed record StaleBuyCanceled(string TraderId, string ClientOrderId) : TradingEvent;

/// <summary>
/// The settings cannot trade: the BUY a trader would send, or the SELL after it (quantity after the fee,
/// floored to the step, at the profit target), breaks an exchange filter, so no order is sent; the symbol
/// starts no more traders and stops once its running ones are done (<see cref="SymbolStopReason.SettingsRefused"/>).
/// </summary>
/// <param name="TraderId">The trader that was about to send the BUY.</param>
/// <param name="Filter">The filter (PRICE_FILTER, LOT_SIZE, NOTIONAL or MIN_NOTIONAL).</param>
/// <param name="Message">The symbol, the figure and the filter, e.g. <c>XRPUSDT: budget/chunks 10.5 gives a SELL notional 9.006, below NOTIONAL 10</c>.</param>
public sealed record SettingsRefused(string TraderId, string Filter, string Message) : TradingEvent;

/// <summary>
/// The free quote does not cover a trader's share, so the symbol starts none until it does (it re-checks
/// the balance with backoff and whenever its own orders free quote); the symbol stays on.
/// </summary>
/// <param name="Needed">The share a new trader would get.</param>
/// <param name="Available">The free quote not already promised to traders that have not bought yet.</param>
/// <param name="Asset">The quote asset.</param>
public sealed record WaitingForFunds(decimal Needed, decimal Available, string Asset) : TradingEvent;

/// <summary>The free quote covers a trader again: the symbol no longer waits for funds.</summary>
/// <param name="Available">The free quote not already promised, before the traders started now.</param>
/// <param name="Asset">The quote asset.</param>
public sealed record FundsReturned(decimal Available, string Asset) : TradingEvent;

/// <summary>The exchange refused an order for good (after the placement runner's retries).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="ClientOrderId">The order.</param>
/// <param name="Error">The exchange's answer.</param>
public sealed record OrderRejected(string TraderId, string ClientOrderId, ExchangeError Error) : TradingEvent;

/// <summary>The trader's life ended.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Outcome">How.</param>
/// <param name="Detail">What happened, in a sentence for people (the outcome is the value to act on).</param>
public sealed record TraderFinished(string TraderId, TraderOutcome Outcome, string Detail) : TradingEvent;

/// <summary>
/// A trader threw while handling an input; it was restored from its last state (same id) and the input
/// dropped. The engine then asks the exchange for the trader's open order again, so a fill that came with
/// the crash is applied.
/// </summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Exception">What it threw.</param>
public sealed record TraderCrashed(string TraderId, Exception Exception) : TradingEvent;

/// <summary>An update for an order no running trader owns (e.g. an order left by a stopped trader).</summary>
/// <param name="Update">The update.</param>
public sealed record UnknownOrderUpdate(OrderUpdate Update) : TradingEvent
{
    /// <summary>
    /// True when the order was one of this symbol's earlier traders' and the update is final: an answer that came after
    /// the order stream had already told that trader, which then finished (a final status never changes). False for
    /// anything else, which needs a look.
    /// </summary>
    public bool Late { get; init; }
}

/// <summary>shutdown_trading began: no new traders; running ones finish their cycle.</summary>
public sealed record ShutdownStarted : TradingEvent;

/// <summary>The symbol stopped trading.</summary>
/// <param name="Reason">Why.</param>
/// <param name="OpenOrders">Orders left working on the exchange by the traders that were stopped.</param>
/// <param name="LastOutcome">With <see cref="SymbolStopReason.NoTraderLeft"/>: how the last trader ended.</param>
/// <param name="Detail">With <see cref="SymbolStopReason.SettingsRefused"/>: the refusal's message.</param>
public sealed record SymbolStopped(SymbolStopReason Reason, IReadOnlyList<OrderSnapshot> OpenOrders, TraderOutcome? LastOutcome = null, string? Detail = null) : TradingEvent;

/// <summary>The symbol was resumed from the store.</summary>
/// <param name="TraderCount">Traders resumed.</param>
/// <param name="Status">Its status.</param>
public sealed record SymbolRestored(int TraderCount, SymbolStatus Status) : TradingEvent;

/// <summary>An input stream ended or failed and was subscribed again after <paramref name="Delay"/>.</summary>
/// <param name="Stream">Which stream.</param>
/// <param name="Error">Why it ended (null when it completed).</param>
/// <param name="Attempt">Consecutive resubscriptions without an item in between.</param>
/// <param name="Delay">The wait before subscribing again.</param>
public sealed record StreamResubscribed(StrategyStream Stream, Exception? Error, int Attempt, TimeSpan Delay) : TradingEvent;

/// <summary>A risk guard fired: the symbol starts no trader and carries out <paramref name="Action"/>.</summary>
/// <param name="Guard">Which guard.</param>
/// <param name="Action">What it does.</param>
/// <param name="Price">The price of the market trade that fired it.</param>
/// <param name="Figure">The figure that crossed the threshold: the price, the drawdown (a fraction) or the day's loss (quote).</param>
/// <param name="Threshold">The setting it crossed.</param>
/// <param name="Time">The market time of that trade.</param>
public sealed record GuardTriggered(GuardKind Guard, GuardAction Action, decimal Price, decimal Figure, decimal Threshold, DateTimeOffset Time) : TradingEvent;

/// <summary>A guard's exit MARKET SELL ended: what it sold and for how much.</summary>
/// <param name="ClientOrderId">The MARKET SELL.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Sold">Base it sold.</param>
/// <param name="Proceeds">Quote it got, net of a commission taken in the quote asset.</param>
/// <param name="Asset">The base asset.</param>
public sealed record GuardExitFilled(string ClientOrderId, OrderStatus Status, decimal Sold, decimal Proceeds, string Asset) : TradingEvent;

/// <summary>A guard's exit MARKET SELL was not sent, or was refused: the base stays unsold (the symbol's dust).</summary>
/// <param name="Quantity">What it would have sold.</param>
/// <param name="Filter">The filter it breaks (LOT_SIZE, MARKET_LOT_SIZE, NOTIONAL or MIN_NOTIONAL), or the exchange's refusal.</param>
/// <param name="Message">The symbol, the figure and the filter, in a sentence.</param>
public sealed record GuardExitNotSent(decimal Quantity, string Filter, string Message) : TradingEvent;

namespace NaiveStrategy;

/// <summary>
/// Something a reducer asks to be done: an order to send (carried out by the engine's placement
/// runner), a balance query (carried out by the engine, which answers with the free quote) or a rebuy
/// notification to the Leader (carried out by the Leader reducer itself). What
/// happened is told apart, by <see cref="TradingEvent"/>s.
/// </summary>
internal abstract record TradingCommand;

/// <summary>Place a limit order for a trader.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Request">The order.</param>
internal sealed record PlaceOrder(string TraderId, OrderRequest Request) : TradingCommand;

/// <summary>The trader saw the price fall under its rebuy level and asks its Leader for another trader (once).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Price">The market price that triggered it.</param>
internal sealed record NotifyRebuy(string TraderId, decimal Price) : TradingCommand;

/// <summary>Ask the exchange for the account's free quote and give it to the Leader (it waits for funds, or an order was refused for lack of them).</summary>
internal sealed record CheckFunds : TradingCommand;

/// <summary>
/// An order update reports fills its trader does not know without their commission: ask the exchange for the order's
/// fills until they cover the executed quantity, then give the update back with their commission.
/// </summary>
/// <param name="TraderId">The order's trader.</param>
/// <param name="Update">The update, held back until its commission is known.</param>
/// <param name="BaseAsset">The symbol's base asset (the fee part that decides what can be sold).</param>
internal sealed record CompleteCommission(string TraderId, OrderUpdate Update, string? BaseAsset) : TradingCommand;

/// <summary>Ask the exchange about every order the traders (and a guard's exit) have open: after a restart or a gap in the order stream.</summary>
internal sealed record ReconcileOrders : TradingCommand;

/// <summary>Cancel a trader's open order (the stale-BUY rule); the exchange's answer comes back as the order's update.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Order">The order as it was sent.</param>
internal sealed record CancelOrder(string TraderId, OrderRequest Order) : TradingCommand;

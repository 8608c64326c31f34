namespace NaiveStrategy;

/// <summary>
/// Something a reducer asks to be done: an order to send (carried out by the engine's placement
/// runner) or a rebuy notification to the Leader (carried out by the Leader reducer itself). What
/// happened is told apart, by <see cref="TradingEvent"/>s.
/// </summary>
public abstract record TradingCommand;

/// <summary>Place a limit order for a trader.</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Request">The order.</param>
public sealed record PlaceOrder(string TraderId, OrderRequest Request) : TradingCommand;

/// <summary>The trader saw the price fall under its rebuy level and asks its Leader for another trader (once).</summary>
/// <param name="TraderId">The trader.</param>
/// <param name="Price">The market price that triggered it.</param>
public sealed record NotifyRebuy(string TraderId, decimal Price) : TradingCommand;

namespace NaiveStrategy;

/// <summary>An input of the Trader reducer.</summary>
public abstract record TraderInput;

/// <summary>A public market trade.</summary>
/// <param name="Trade">The trade.</param>
public sealed record MarketTradeInput(TradeEvent Trade) : TraderInput;

/// <summary>An update of one of our orders (stream, placement answer or query answer).</summary>
/// <param name="Update">The update.</param>
public sealed record OrderUpdateInput(OrderUpdate Update) : TraderInput;

/// <summary>An order could not be placed and will not be (the engine has already applied its retry policy).</summary>
/// <param name="ClientOrderId">The order's client id.</param>
/// <param name="Error">The exchange's answer.</param>
public sealed record PlacementFailedInput(string ClientOrderId, ExchangeError Error) : TraderInput;

/// <summary>The result of a reducer step: the new state and the effects to carry out.</summary>
/// <param name="State">The new state (the same instance when nothing changed).</param>
/// <param name="Commands">Effects, in order.</param>
public readonly record struct TraderDecision(TraderState State, IReadOnlyList<TradingCommand> Commands)
{
    /// <summary>No change, no effect.</summary>
    public static TraderDecision Unchanged(TraderState state) => new(state, []);
}

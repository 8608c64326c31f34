namespace NaiveStrategy;

/// <summary>An input of the Trader reducer.</summary>
internal abstract record TraderInput;

/// <summary>A public market trade.</summary>
/// <param name="Trade">The trade.</param>
internal sealed record MarketTradeInput(TradeEvent Trade) : TraderInput;

/// <summary>An update of one of our orders (stream, placement answer or query answer).</summary>
/// <param name="Update">The update.</param>
internal sealed record OrderUpdateInput(OrderUpdate Update) : TraderInput
{
    /// <summary>The symbol's unsold base below one step (<see cref="LeaderState.Dust"/>), for a SELL placed now.</summary>
    public decimal Dust { get; init; }
}

/// <summary>An order could not be placed and will not be (the engine has already applied its retry policy).</summary>
/// <param name="ClientOrderId">The order's client id.</param>
/// <param name="Error">The exchange's answer.</param>
internal sealed record PlacementFailedInput(string ClientOrderId, ExchangeError Error) : TraderInput;

/// <summary>The result of a trader step: the new state, what to do, and what happened.</summary>
/// <param name="State">The new state (the same instance when nothing changed).</param>
/// <param name="Commands">What to do, in order (orders to send, a rebuy notification).</param>
/// <param name="Events">What happened, in order.</param>
internal readonly record struct TraderDecision(TraderState State, IReadOnlyList<TradingCommand> Commands, IReadOnlyList<TradingEvent> Events)
{
    /// <summary>No change, nothing to do, nothing happened.</summary>
    public static TraderDecision Unchanged(TraderState state) => new(state, [], []);

    /// <summary>True when the step changed nothing and asks for nothing.</summary>
    public bool IsUnchanged(TraderState before) => ReferenceEquals(State, before) && Commands.Count == 0 && Events.Count == 0;
}

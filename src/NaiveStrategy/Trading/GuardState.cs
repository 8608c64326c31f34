namespace NaiveStrategy;

/// <summary>
/// What a symbol's risk guards remember (<see cref="LeaderState.Guard"/>): the peak equity for
/// <see cref="SymbolSettings.MaxDrawdown"/>, the market day for <see cref="SymbolSettings.MaxDailyLoss"/>, and the
/// guard that fired with its exit's progress. Saved and restored with the Leader's state, so a restart finishes an
/// exit exactly once.
/// </summary>
internal sealed record GuardState
{
    /// <summary>No guard has watched anything yet.</summary>
    public static GuardState None { get; } = new();

    /// <summary>The highest equity (budget plus PnL, marked to market) seen at a market trade; 0 until the first.</summary>
    public decimal PeakEquity { get; init; }

    /// <summary>00:00 UTC of the market day the daily loss counts from; null until the first trade.</summary>
    public DateTimeOffset? DayStart { get; init; }

    /// <summary>The equity at the first trade of <see cref="DayStart"/>'s day.</summary>
    public decimal DayStartEquity { get; init; }

    /// <summary>The guard that fired, until an operator starts the symbol again; null while none has.</summary>
    public FiredGuard? Fired { get; init; }
}

/// <summary>A guard that fired, and what its action has done since.</summary>
/// <param name="Kind">Which guard.</param>
/// <param name="Action">What it does.</param>
/// <param name="Time">The market time of the trade that fired it.</param>
/// <param name="Price">That trade's price.</param>
/// <param name="Figure">The figure that crossed the threshold: the price, the drawdown (a fraction) or the day's loss (quote).</param>
/// <param name="Threshold">The setting it crossed.</param>
internal sealed record FiredGuard(GuardKind Kind, GuardAction Action, DateTimeOffset Time, decimal Price, decimal Figure, decimal Threshold)
{
    /// <summary>The exit's MARKET SELL being worked, once placed (an <see cref="GuardAction.Exit"/> places one after its cancels).</summary>
    public TrackedOrder? ExitOrder { get; init; }

    /// <summary>MARKET SELLs placed so far (each gets its own client order id).</summary>
    public int ExitAttempts { get; init; }

    /// <summary>Base the exit has sold so far.</summary>
    public decimal Sold { get; init; }

    /// <summary>Quote the exit got for it, net of a commission taken in the quote asset.</summary>
    public decimal Proceeds { get; init; }

    /// <summary>True once the action is over: every trader is done and the exit (if any) has sold what it could.</summary>
    public bool Done { get; init; }
}

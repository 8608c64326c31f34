namespace NaiveStrategy;

/// <summary>Which risk guard fired.</summary>
public enum GuardKind
{
    /// <summary>A market trade at or below <see cref="SymbolSettings.StopLossPrice"/>.</summary>
    StopLoss,

    /// <summary>A market trade at or above <see cref="SymbolSettings.TakeProfitPrice"/>.</summary>
    TakeProfit,

    /// <summary>The symbol's equity, marked to market, fell <see cref="SymbolSettings.MaxDrawdown"/> (a fraction) below its peak.</summary>
    MaxDrawdown,

    /// <summary>The symbol lost <see cref="SymbolSettings.MaxDailyLoss"/> (quote, realized and unrealized) since 00:00 UTC of market time.</summary>
    MaxDailyLoss,

    /// <summary>
    /// The account's equity (every symbol's, marked to market at its last trade) fell
    /// <see cref="NaiveStrategyOptions.MaxDrawdown"/> (a fraction) below its peak: fired in every symbol at once.
    /// </summary>
    AccountDrawdown,
}

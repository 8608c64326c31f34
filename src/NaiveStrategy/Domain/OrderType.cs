namespace NaiveStrategy;

/// <summary>The type of an order the strategy sends.</summary>
public enum OrderType
{
    /// <summary>A GTC limit order at <see cref="OrderRequest.Price"/> (every trader's order).</summary>
    Limit,

    /// <summary>A MARKET order: executes at once against the book, <see cref="OrderRequest.Price"/> is 0 (a guard's exit).</summary>
    Market,
}

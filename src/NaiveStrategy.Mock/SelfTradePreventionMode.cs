namespace NaiveStrategy.Mock;

/// <summary>
/// Binance's self-trade prevention modes: what happens when a new order of the account would trade with one of the
/// account's own resting orders. The taker's (new order's) mode decides.
/// </summary>
public enum SelfTradePreventionMode
{
    /// <summary><c>NONE</c>: the orders trade with each other (a self-trade).</summary>
    None,

    /// <summary><c>EXPIRE_TAKER</c>: the new order's remaining quantity expires (EXPIRED_IN_MATCH); the resting one stays.</summary>
    ExpireTaker,

    /// <summary><c>EXPIRE_MAKER</c>: the resting order's remaining quantity expires; the new order goes on matching.</summary>
    ExpireMaker,

    /// <summary><c>EXPIRE_BOTH</c>: both orders' remaining quantities expire.</summary>
    ExpireBoth,

    /// <summary><c>DECREMENT</c>: both orders' prevented quantity grows by the prevented match; the smaller expires (both when equal).</summary>
    Decrement,
}

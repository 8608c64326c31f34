namespace NaiveStrategy;

/// <summary>Order status, with Binance's meanings.</summary>
public enum OrderStatus
{
    /// <summary>Sent to the exchange, no answer yet (our own state, never reported by an exchange for a plain order).</summary>
    PendingNew,

    /// <summary>Accepted by the exchange, nothing executed.</summary>
    New,

    /// <summary>Part of the quantity executed.</summary>
    PartiallyFilled,

    /// <summary>Fully executed.</summary>
    Filled,

    /// <summary>Cancel requested, not yet confirmed.</summary>
    PendingCancel,

    /// <summary>Canceled (by the user or by us); part of it may have executed.</summary>
    Canceled,

    /// <summary>Rejected by the exchange.</summary>
    Rejected,

    /// <summary>Expired (time in force, or self-trade prevention); part of it may have executed.</summary>
    Expired,
}

/// <summary>Helpers over <see cref="OrderStatus"/>.</summary>
public static class OrderStatusExtensions
{
    /// <summary>True when the order can no longer change.</summary>
    public static bool IsTerminal(this OrderStatus status) =>
        status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired;

    /// <summary>
    /// Progress rank used to drop stale updates: an update whose rank and executed quantity are both
    /// not ahead of what we know is a duplicate or arrived out of order.
    /// </summary>
    internal static int Rank(this OrderStatus status) => status switch
    {
        OrderStatus.PendingNew => 0,
        OrderStatus.New => 1,
        OrderStatus.PartiallyFilled => 2,
        OrderStatus.PendingCancel => 3,
        _ => 4,
    };
}

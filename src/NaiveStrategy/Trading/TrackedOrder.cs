namespace NaiveStrategy;

/// <summary>What a trader knows about one of its orders.</summary>
/// <param name="ClientOrderId">Our id of the order.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">Limit price.</param>
/// <param name="Quantity">Ordered quantity.</param>
internal sealed record TrackedOrder(string ClientOrderId, OrderSide Side, decimal Price, decimal Quantity)
{
    /// <summary>The exchange's order id, once known.</summary>
    public long? OrderId { get; init; }

    /// <summary>Last known status; <see cref="OrderStatus.PendingNew"/> until the exchange answers.</summary>
    public OrderStatus Status { get; init; } = OrderStatus.PendingNew;

    /// <summary>Cumulative executed quantity.</summary>
    public decimal ExecutedQuantity { get; init; }

    /// <summary>Cumulative commission, in <see cref="CommissionAsset"/>.</summary>
    public decimal Commission { get; init; }

    /// <summary>Asset the commission was taken in.</summary>
    public string? CommissionAsset { get; init; }

    /// <summary>Cumulative quote executed, when the exchange reports it (<see cref="OrderUpdate.QuoteQuantity"/>; a MARKET order's proceeds).</summary>
    public decimal QuoteQuantity { get; init; }

    /// <summary>True while the order can still execute.</summary>
    public bool IsOpen => !Status.IsTerminal();
}

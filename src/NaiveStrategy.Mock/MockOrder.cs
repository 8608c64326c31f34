namespace NaiveStrategy.Mock;

/// <summary>An order as the in-memory exchange keeps it: the request, what it still locks, its fills.</summary>
internal sealed class MockOrder(long orderId, OrderRequest request, SymbolFilters filters, string lockedAsset, decimal locked)
{
    public long OrderId { get; } = orderId;

    public OrderRequest Request { get; } = request;

    public SymbolFilters Filters { get; } = filters;

    public OrderSide Side => Request.Side;

    public decimal Price => Request.Price;

    public decimal Quantity => Request.Quantity;

    public string LockedAsset { get; } = lockedAsset;

    public decimal LockedRemaining { get; set; } = locked;

    /// <summary>The self-trade prevention mode the order was placed with (its taker phase's).</summary>
    public SelfTradePreventionMode Mode { get; init; }

    /// <summary>The quantity expired by self-trade prevention (Binance's <c>preventedQuantity</c>).</summary>
    public decimal Prevented { get; set; }

    /// <summary>What can still execute: quantity less executed less prevented.</summary>
    public decimal Remaining => Quantity - ExecutedQuantity - Prevented;

    /// <summary>The self-trades prevented with this order on either side, oldest first.</summary>
    public List<PreventedMatch>? PreventedMatches { get; set; }

    public decimal ExecutedQuantity { get; set; }

    public OrderStatus Status { get; set; } = OrderStatus.New;

    public decimal Commission { get; set; }

    public string? CommissionAsset { get; set; }

    public DateTimeOffset Time { get; set; }

    public List<OrderFill>? Fills { get; set; }

    /// <summary>The exchange's placement sequence, over every symbol (the order of <see cref="InMemoryExchange.Orders"/>).</summary>
    public long Placed { get; init; }

    /// <summary>
    /// Cumulative quote executed at the fills' prices (Binance's <c>cummulativeQuoteQty</c>): what its updates report as
    /// <see cref="OrderUpdate.QuoteQuantity"/> once it executed (a MARKET order always), so a taker fill's better price is
    /// not read as the limit price.
    /// </summary>
    public decimal QuoteQuantity { get; set; }

    /// <summary>The order as an update the caller learns from <paramref name="source"/> (an answer, the stream, a query).</summary>
    public OrderUpdate ToUpdate(OrderUpdateSource source) => new(Request.Symbol, Request.ClientOrderId, OrderId, Side, Price, Quantity, ExecutedQuantity, Status, Commission, CommissionAsset, Time)
    {
        QuoteQuantity = Request.Type == OrderType.Market || ExecutedQuantity > 0 ? QuoteQuantity : null,
        Source = source,
    };
}

/// <summary>One symbol's next order id and next fill (trade) id, and its orders in id order when every order is kept.</summary>
internal sealed class IdSequences
{
    public List<MockOrder> Orders { get; } = [];

    public long NextOrderId { get; set; } = 1;

    public long NextTradeId { get; set; } = 1;

    public long NextPreventedMatchId { get; set; }
}

namespace NaiveStrategy;

/// <summary>
/// The state of one of our orders as the exchange reports it: the answer to a placement or a query,
/// or an entry of the order update stream (Binance's <c>executionReport</c>).
/// Quantities and commission are cumulative over the order's life, so a duplicate or late update can
/// be recognised and dropped. An update learned from an order query may not carry the commission of
/// its fills (Binance's order endpoints have none): it then says so with <see cref="CommissionKnown"/>
/// set to false, and the engine asks for the order's fills before a trader sees it.
/// </summary>
/// <param name="Symbol">Upper-case symbol.</param>
/// <param name="ClientOrderId">The id we chose when placing the order.</param>
/// <param name="OrderId">The exchange's order id.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">Limit price.</param>
/// <param name="Quantity">Original quantity.</param>
/// <param name="ExecutedQuantity">Cumulative executed base quantity.</param>
/// <param name="Status">Order status.</param>
/// <param name="Commission">Cumulative commission paid, in <paramref name="CommissionAsset"/>.</param>
/// <param name="CommissionAsset">Asset the commission was taken in (null when nothing was paid yet).</param>
/// <param name="Time">When the exchange produced the update.</param>
public sealed record OrderUpdate(
    string Symbol,
    string ClientOrderId,
    long OrderId,
    OrderSide Side,
    decimal Price,
    decimal Quantity,
    decimal ExecutedQuantity,
    OrderStatus Status,
    decimal Commission,
    string? CommissionAsset,
    DateTimeOffset Time)
{
    /// <summary>
    /// True when <see cref="Commission"/> covers every fill up to <see cref="ExecutedQuantity"/>.
    /// False for an update that reports fills without (all of) their commission, e.g. an order query
    /// answered while the update stream was down.
    /// </summary>
    public bool CommissionKnown { get; init; } = true;

    /// <summary>
    /// Cumulative quote executed (Binance's <c>cummulativeQuoteQty</c>, <c>Z</c>), when the exchange says: what a
    /// MARKET order, whose <see cref="Price"/> is 0, sold or bought for. Null when not reported.
    /// </summary>
    public decimal? QuoteQuantity { get; init; }

    /// <summary>How the engine learned of it: a call's answer, the order stream, or a query (<see cref="OrderUpdateSource"/>).</summary>
    public OrderUpdateSource Source { get; init; }

    /// <summary>
    /// True for a stream report that arrived after one the exchange produced later (its event time is earlier than a
    /// report the stream had already delivered): the stream reordered it, so it reached us late.
    /// </summary>
    public bool Reordered { get; init; }
}

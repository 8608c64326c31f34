namespace NaiveStrategy;

/// <summary>
/// One execution (trade) of one of our orders, as the exchange's trade history reports it (Binance's
/// <c>GET /api/v3/myTrades</c>). The only reliable source of the commission of a fill that was learned
/// from an order query rather than from the order update stream.
/// </summary>
/// <param name="Symbol">Upper-case symbol.</param>
/// <param name="TradeId">The exchange's id of the trade; fills of one order are ordered by it.</param>
/// <param name="OrderId">The exchange's id of the order that traded.</param>
/// <param name="Price">Execution price.</param>
/// <param name="Quantity">Base quantity executed in this trade.</param>
/// <param name="Commission">Commission charged for this trade, in <paramref name="CommissionAsset"/>.</param>
/// <param name="CommissionAsset">Asset the commission was taken in (null when none was charged).</param>
/// <param name="Time">When the trade happened.</param>
public sealed record OrderFill(
    string Symbol,
    long TradeId,
    long OrderId,
    decimal Price,
    decimal Quantity,
    decimal Commission,
    string? CommissionAsset,
    DateTimeOffset Time)
{
    /// <summary>
    /// True when our order was resting in the book and a later order traded against it (maker); false when our
    /// order traded on arrival against the book (taker). Maker and taker fills can pay different fee rates.
    /// </summary>
    public bool IsMaker { get; init; } = true;
}

namespace NaiveStrategy.Mock;

/// <summary>
/// A self-trade the exchange prevented (Binance's <c>GET /api/v3/preventedMatches</c> entry): no trade happened; the
/// orders' prevented quantities grew and one or both expired.
/// </summary>
/// <param name="Symbol">The orders' symbol.</param>
/// <param name="PreventedMatchId">Numbered per symbol from 0, as Binance numbers them.</param>
/// <param name="TakerOrderId">The new order.</param>
/// <param name="MakerOrderId">The resting order it would have traded with.</param>
/// <param name="Mode">The taker's mode, which decided.</param>
/// <param name="Price">The resting order's price: where the trade would have happened.</param>
/// <param name="TakerPreventedQuantity">What of the taker expired (EXPIRE_TAKER, EXPIRE_BOTH, DECREMENT), else null.</param>
/// <param name="MakerPreventedQuantity">What of the maker expired (EXPIRE_MAKER, EXPIRE_BOTH, DECREMENT), else null.</param>
/// <param name="Time">When (the exchange's clock).</param>
public sealed record PreventedMatch(
    string Symbol,
    long PreventedMatchId,
    long TakerOrderId,
    long MakerOrderId,
    SelfTradePreventionMode Mode,
    decimal Price,
    decimal? TakerPreventedQuantity,
    decimal? MakerPreventedQuantity,
    DateTimeOffset Time);

namespace NaiveStrategy;

/// <summary>An order the strategy wants placed: a limit order (good till canceled), or a MARKET order when <see cref="Type"/> says so.</summary>
/// <param name="Symbol">Upper-case symbol.</param>
/// <param name="ClientOrderId">Our idempotency key, chosen before sending; exchanges route updates back by it.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">Limit price, a multiple of the tick size (0 for a MARKET order).</param>
/// <param name="Quantity">Base quantity, a multiple of the step size.</param>
public sealed record OrderRequest(string Symbol, string ClientOrderId, OrderSide Side, decimal Price, decimal Quantity)
{
    /// <summary>Limit (the default) or MARKET (<see cref="IExchange.PlaceMarketOrderAsync"/>).</summary>
    public OrderType Type { get; init; } = OrderType.Limit;
}

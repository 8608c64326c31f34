namespace NaiveStrategy;

/// <summary>A limit order (good till canceled) the strategy wants placed.</summary>
/// <param name="Symbol">Upper-case symbol.</param>
/// <param name="ClientOrderId">Our idempotency key, chosen before sending; exchanges route updates back by it.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">Limit price, a multiple of the tick size.</param>
/// <param name="Quantity">Base quantity, a multiple of the step size.</param>
public sealed record OrderRequest(string Symbol, string ClientOrderId, OrderSide Side, decimal Price, decimal Quantity);

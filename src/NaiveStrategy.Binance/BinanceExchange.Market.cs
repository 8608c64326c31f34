using System.Text.Json;

namespace NaiveStrategy.Binance;

// MARKET orders (a guard's exit): POST /api/v3/order type=MARKET with quantity (formatted to LOT_SIZE's step) and
// newOrderRespType=FULL, whose answer lists the fills with their commission, so the exit's proceeds
// (cummulativeQuoteQty) and fees are known from the answer itself.
public sealed partial class BinanceExchange
{
    /// <inheritdoc />
    public ValueTask<ExchangeResult<OrderUpdate>> PlaceMarketOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) =>
        PlaceAsync(request, SendMarketOrderAsync, cancellationToken);

    private async Task<ExchangeResult<OrderUpdate>> SendMarketOrderAsync(OrderRequest request, SymbolFilters filters, CancellationToken cancellationToken)
    {
        var answer = await _rest.SendAsync(HttpMethod.Post, "/api/v3/order",
        [
            new("symbol", request.Symbol),
            new("side", request.Side == OrderSide.Buy ? "BUY" : "SELL"),
            new("type", "MARKET"),
            new("quantity", filters.FormatQuantity(request.Quantity)),
            new("newClientOrderId", request.ClientOrderId),
            new("newOrderRespType", "FULL"),
        ], signed: true, weight: 1, placesOrder: true, cancellationToken);
        if (!answer.IsSuccess)
        {
            return answer.Error;
        }

        CountFills(request.ClientOrderId, answer.Value);
        return Read(answer.Value, placesOrder: true, OrderUpdateSource.Answer);
    }

    // The FULL answer's fills, counted once per trade id like the stream's (which may report the same trades).
    private void CountFills(string clientOrderId, JsonElement answer)
    {
        if (!answer.TryGetProperty("fills", out var fills) || fills.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var fees = _fees.GetOrAdd(clientOrderId, _ => new Fees());
        foreach (var fill in fills.EnumerateArray())
        {
            var asset = fill.TryGetProperty("commissionAsset", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            fees.Add(BinanceJson.Long(fill, "tradeId"), BinanceJson.Decimal(fill, "qty"), BinanceJson.Decimal(fill, "commission"), asset);
        }
    }
}

using Xunit;

namespace NaiveStrategy.Testing;

/// <summary>
/// The adapter contract, queries: Finding an order by client order id, whatever became of it, and never <see cref="ExchangeErrorKind.NotFound"/> for an order that exists. Derive it with the adapter's
/// <see cref="ExchangeContractTests.CreateExchangeUnderTest"/>.
/// </summary>
public abstract class ExchangeQueryContractTests : ExchangeContractTests
{
    /// <summary>
    /// An order the exchange accepted is found by its client order id at once: same symbol, side, price,
    /// quantity and order id. Never <see cref="ExchangeErrorKind.NotFound"/>, not even right after the
    /// placement: the engine sends an order again when the exchange says it does not exist, so a
    /// NotFound for an order that exists (a read lagging behind the write) is a double order.
    /// </summary>
    [Fact]
    public async Task GetOrderAsync_PlacedOrder_ReturnsItAsPlacedNeverNotFound()
    {
        var request = Buy(RestingBuyPrice);
        var placed = await PlaceAsync(request);

        var found = await QueryAsync(request.ClientOrderId);

        AssertIsOrder(request, found);
        Assert.Equal(placed.OrderId, found.OrderId);
        Assert.Equal(OrderStatus.New, found.Status);
    }

    /// <summary>
    /// An order that never existed is <see cref="ExchangeErrorKind.NotFound"/>, and that kind means
    /// exactly this. The engine's answer to NotFound is to send the order (same client order id) again;
    /// an adapter that says NotFound for an order that exists, was canceled or filled, or when it simply
    /// could not ask (timeout, 5xx, rate limit: those are <see cref="ExchangeErrorKind.Unknown"/> or
    /// <see cref="ExchangeErrorKind.Transient"/>), makes the engine place a second order.
    /// </summary>
    [Fact]
    public async Task GetOrderAsync_NeverPlaced_ReturnsNotFound()
    {
        var result = await Exchange.GetOrderAsync(Filters.Symbol, NewClientOrderId());

        Assert.False(result.IsSuccess, $"GetOrderAsync of an order that never existed succeeded: {result}.");
        Assert.Equal(ExchangeErrorKind.NotFound, result.Error.Kind);
    }

    /// <summary>A canceled order is still found, as canceled: NotFound would make the engine send it again.</summary>
    [Fact]
    public async Task GetOrderAsync_CanceledOrder_ReturnsCanceledNotNotFound()
    {
        var request = Buy(RestingBuyPrice);
        await PlaceAsync(request);
        Ok(await Exchange.CancelOrderAsync(Filters.Symbol, request.ClientOrderId), "CancelOrderAsync");

        var found = await EventuallyAsync(
            $"GetOrderAsync({request.ClientOrderId}) reports the order Canceled",
            async () => await QueryAsync(request.ClientOrderId) is { Status: OrderStatus.Canceled } u ? u : null);

        AssertIsOrder(request, found);
    }

    /// <summary>A filled order is still found, as filled, with its whole quantity executed.</summary>
    [Fact]
    public async Task GetOrderAsync_FilledOrder_ReturnsFilledWithItsQuantity()
    {
        var request = Buy(RestingBuyPrice);
        await PlaceAsync(request);
        await TradeAsync(request.Price - Filters.TickSize, request.Quantity);

        var found = await EventuallyAsync(
            $"GetOrderAsync({request.ClientOrderId}) reports the order Filled",
            async () => await QueryAsync(request.ClientOrderId) is { Status: OrderStatus.Filled } u ? u : null);

        AssertIsOrder(request, found);
        Assert.Equal(request.Quantity, found.ExecutedQuantity);
    }
}

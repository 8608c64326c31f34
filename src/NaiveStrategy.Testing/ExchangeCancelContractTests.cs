using Xunit;

namespace NaiveStrategy.Testing;

/// <summary>
/// The adapter contract, cancel: Cancelling: the order's final state, locked funds released, the update stream told, and error values for orders that cannot be canceled. Derive it with the adapter's
/// <see cref="ExchangeContractTests.CreateExchangeUnderTest"/>.
/// </summary>
public abstract class ExchangeCancelContractTests : ExchangeContractTests
{
    /// <summary>Cancel by client order id returns the order's final state: canceled, nothing executed.</summary>
    [Fact]
    public async Task CancelOrderAsync_OpenOrder_ReturnsCanceledState()
    {
        var request = Buy(RestingBuyPrice);
        var placed = await PlaceAsync(request);

        var canceled = Ok(await Exchange.CancelOrderAsync(Filters.Symbol, request.ClientOrderId), "CancelOrderAsync");

        AssertIsOrder(request, canceled);
        Assert.Equal(placed.OrderId, canceled.OrderId);
        Assert.Equal(OrderStatus.Canceled, canceled.Status);
        Assert.Equal(0m, canceled.ExecutedQuantity);
    }

    /// <summary>A canceled order's locked funds come back to the free balance.</summary>
    [Fact]
    public async Task CancelOrderAsync_OpenOrder_ReleasesLockedFunds()
    {
        var before = await QuoteBalanceAsync();
        var request = Buy(RestingBuyPrice);
        await PlaceAsync(request);
        await EventuallyAsync(
            $"{Filters.QuoteAsset} free drops below {before.Free} after the placement",
            async () => await QuoteBalanceAsync() is var b && b.Free < before.Free ? b : null);

        Ok(await Exchange.CancelOrderAsync(Filters.Symbol, request.ClientOrderId), "CancelOrderAsync");

        await EventuallyAsync(
            $"{Filters.QuoteAsset} balance returns to {before} after the cancel",
            async () => await QuoteBalanceAsync() is var b && b == before ? b : null);
    }

    /// <summary>
    /// The update stream reports a cancel under the order's own client order id, not the cancel
    /// request's: the engine routes updates by client order id, and an order canceled outside the
    /// engine (by hand, by the exchange) reaches its trader only this way.
    /// </summary>
    [Fact]
    public async Task OrderUpdates_CanceledOrder_DeliversCanceledUnderOurClientOrderId()
    {
        using var updates = OrderUpdateRecorder.Subscribe(Exchange);
        await UntilOrderUpdatesLiveAsync(updates);
        var request = Buy(RestingBuyPrice);
        var placed = await PlaceAsync(request);

        Ok(await Exchange.CancelOrderAsync(Filters.Symbol, request.ClientOrderId), "CancelOrderAsync");

        var canceled = await EventuallyAsync(
            $"OrderUpdates delivers {request.ClientOrderId} Canceled",
            () => Task.FromResult(updates.Of(request.ClientOrderId).LastOrDefault(u => u.Status == OrderStatus.Canceled)));
        AssertIsOrder(request, canceled);
        Assert.Equal(placed.OrderId, canceled.OrderId);
    }

    /// <summary>Canceling an order that does not exist is an error value, not an exception.</summary>
    [Fact]
    public async Task CancelOrderAsync_UnknownOrder_ReturnsErrorValue()
    {
        var result = await Exchange.CancelOrderAsync(Filters.Symbol, NewClientOrderId());

        Assert.False(result.IsSuccess, $"Canceling an order that never existed succeeded: {result}.");
        Assert.Contains(result.Error.Kind, new[] { ExchangeErrorKind.Rejected, ExchangeErrorKind.NotFound });
    }

    /// <summary>Canceling an order that is already canceled is an error value, and the order stays canceled.</summary>
    [Fact]
    public async Task CancelOrderAsync_AlreadyCanceled_ReturnsErrorValue()
    {
        var request = Buy(RestingBuyPrice);
        await PlaceAsync(request);
        Ok(await Exchange.CancelOrderAsync(Filters.Symbol, request.ClientOrderId), "CancelOrderAsync");

        var again = await Exchange.CancelOrderAsync(Filters.Symbol, request.ClientOrderId);

        Assert.False(again.IsSuccess, $"Canceling {request.ClientOrderId} twice succeeded twice: {again}.");
        Assert.Contains(again.Error.Kind, new[] { ExchangeErrorKind.Rejected, ExchangeErrorKind.NotFound });
    }

    /// <summary>Canceling a filled order is an error value, and the order stays filled.</summary>
    [Fact]
    public async Task CancelOrderAsync_FilledOrder_ReturnsErrorValueAndKeepsTheFill()
    {
        var request = Buy(RestingBuyPrice);
        await PlaceAsync(request);
        await TradeAsync(request.Price - Filters.TickSize, request.Quantity);
        await EventuallyAsync(
            $"GetOrderAsync({request.ClientOrderId}) reports the order Filled",
            async () => await QueryAsync(request.ClientOrderId) is { Status: OrderStatus.Filled } u ? u : null);

        var result = await Exchange.CancelOrderAsync(Filters.Symbol, request.ClientOrderId);

        Assert.False(result.IsSuccess, $"Canceling the filled order {request.ClientOrderId} succeeded: {result}.");
        Assert.Contains(result.Error.Kind, new[] { ExchangeErrorKind.Rejected, ExchangeErrorKind.NotFound });
        var after = await QueryAsync(request.ClientOrderId);
        Assert.Equal((OrderStatus.Filled, request.Quantity), (after.Status, after.ExecutedQuantity));
    }
}

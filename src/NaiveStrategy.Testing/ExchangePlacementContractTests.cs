using Xunit;

namespace NaiveStrategy.Testing;

/// <summary>
/// The adapter contract, placement: Placing limit orders: the answer is the order as accepted; duplicates, filter failures and unaffordable orders are error values that place nothing; funds move from free to locked. Derive it with the adapter's
/// <see cref="ExchangeContractTests.CreateExchangeUnderTest"/>.
/// </summary>
public abstract class ExchangePlacementContractTests : ExchangeContractTests
{
    /// <summary>The placement's answer is the order as accepted: our client order id, the exchange's order id, nothing executed.</summary>
    [Fact]
    public async Task PlaceLimitOrderAsync_RestingBuy_ReturnsNewOrderAsRequested()
    {
        var request = Buy(RestingBuyPrice);

        var placed = Ok(await Exchange.PlaceLimitOrderAsync(request), "PlaceLimitOrderAsync");

        AssertIsOrder(request, placed);
        Assert.Equal(OrderStatus.New, placed.Status);
        Assert.Equal(0m, placed.ExecutedQuantity);
    }

    /// <summary>
    /// The client order id is the engine's idempotency key: after a "maybe placed" answer it may send the
    /// same request again. A second placement with the client order id of an open order must be
    /// refused as a value of kind <see cref="ExchangeErrorKind.Duplicate"/> (the engine then queries the
    /// order instead of giving it up), and the exchange keeps exactly one order with that id: the first.
    /// </summary>
    [Fact]
    public async Task PlaceLimitOrderAsync_SameClientOrderIdAsOpenOrder_DuplicateAndNeverPlacedTwice()
    {
        var first = Buy(RestingBuyPrice);
        Ok(await Exchange.PlaceLimitOrderAsync(first), "PlaceLimitOrderAsync");
        var again = first with { Price = RestingBuyPrice - Filters.TickSize };

        var second = await Exchange.PlaceLimitOrderAsync(again);

        Assert.False(second.IsSuccess, $"A second placement with client order id {first.ClientOrderId} was accepted: {second}.");
        Assert.Equal(ExchangeErrorKind.Duplicate, second.Error.Kind);
        var open = Ok(await Exchange.GetOpenOrdersAsync(Filters.Symbol), "GetOpenOrdersAsync");
        AssertIsOrder(first, Assert.Single(open, o => o.ClientOrderId == first.ClientOrderId));
        AssertIsOrder(first, await QueryAsync(first.ClientOrderId));
    }

    /// <summary>
    /// A placement that breaks a filter (below the minimum notional, else below the minimum quantity,
    /// else off the tick size) is an <see cref="ExchangeError"/> value of kind <see cref="ExchangeErrorKind.Rejected"/>
    /// (nothing changed: the engine gives up on the order), never an exception, which the engine would
    /// have to treat as "maybe placed"; and nothing is placed.
    /// </summary>
    [Fact]
    public async Task PlaceLimitOrderAsync_BreaksAFilter_RejectedAsValueAndNothingPlaced()
    {
        var request = FilterBreakingBuy();

        var result = await Exchange.PlaceLimitOrderAsync(request);

        AssertRejected(result, ExchangeErrorKind.Rejected, FilterFailureCode);
        await AssertNeverPlacedAsync(request.ClientOrderId);
    }

    /// <summary>
    /// An order the account cannot pay for is an <see cref="ExchangeError"/> value of kind
    /// <see cref="ExchangeErrorKind.InsufficientFunds"/>, never an exception; nothing is placed or locked.
    /// </summary>
    [Fact]
    public async Task PlaceLimitOrderAsync_MoreThanTheAccountCanPay_RejectedAsValueAndNothingPlaced()
    {
        var before = await QuoteBalanceAsync();
        Assert.True(before.Free > 0, $"CreateExchangeAsync must fund the account with {Filters.QuoteAsset}.");
        var price = RestingBuyPrice;
        var quantity = RoundUpToStep(before.Free * 2 / price);
        Assert.True(
            Filters.FindFilterFailure(price, quantity) is null,
            $"BUY {quantity} at {price} (twice the free {before.Free} {Filters.QuoteAsset}) must pass the filters; fund the account with less.");
        var request = Buy(price, quantity);

        var result = await Exchange.PlaceLimitOrderAsync(request);

        AssertRejected(result, ExchangeErrorKind.InsufficientFunds, InsufficientBalanceCode);
        await AssertNeverPlacedAsync(request.ClientOrderId);
        Assert.Equal(before, await QuoteBalanceAsync());
    }

    /// <summary>Placing an order holds its cost: quote moves from free to locked, none is spent.</summary>
    [Fact]
    public async Task PlaceLimitOrderAsync_RestingBuy_MovesQuoteFromFreeToLocked()
    {
        var before = await QuoteBalanceAsync();
        var request = Buy(RestingBuyPrice);

        await PlaceAsync(request);

        var notional = request.Price * request.Quantity;
        var after = await EventuallyAsync(
            $"{Filters.QuoteAsset} free drops by at least the order's notional {notional} from {before.Free}",
            async () => await QuoteBalanceAsync() is var b && b.Free <= before.Free - notional ? b : null);
        Assert.Equal(before.Free + before.Locked, after.Free + after.Locked);
    }

    /// <summary>
    /// Several traders of a symbol place orders at the same time (the engine does not wait for one
    /// placement before sending the next): each is accepted once, with its own order id.
    /// </summary>
    [Fact]
    public async Task PlaceLimitOrderAsync_ConcurrentPlacements_EachAcceptedOnce()
    {
        var requests = Enumerable.Range(0, 4).Select(i => Buy(RestingBuyPrice - (i * Filters.TickSize))).ToArray();

        var results = await Task.WhenAll(requests.Select(r => Exchange.PlaceLimitOrderAsync(r).AsTask()));

        var placed = results.Select(r => Ok(r, "PlaceLimitOrderAsync")).ToArray();
        Assert.Equal(placed.Length, placed.Select(p => p.OrderId).Distinct().Count());
        var open = Ok(await Exchange.GetOpenOrdersAsync(Filters.Symbol), "GetOpenOrdersAsync");
        Assert.Equal(requests.Select(r => r.ClientOrderId).Order(StringComparer.Ordinal), open.Select(o => o.ClientOrderId).Order(StringComparer.Ordinal));
    }
}

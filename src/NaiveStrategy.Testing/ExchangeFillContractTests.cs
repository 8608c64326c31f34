using Xunit;

namespace NaiveStrategy.Testing;

/// <summary>
/// The adapter contract, fills: Fills: delivered by the update stream and the queries, cumulative, with fills adding up to the executed quantity and the commission of their fills. Derive it with the adapter's
/// <see cref="ExchangeContractTests.CreateExchangeUnderTest"/>.
/// </summary>
public abstract class ExchangeFillContractTests : ExchangeContractTests
{
    /// <summary>
    /// Fills reach the engine through the update stream: a subscriber gets the fill of a resting order
    /// after a crossing trade, under our symbol, client order id and the placement's order id, even when
    /// the stream was still connecting at the fill (an adapter catches up by querying on (re)connection).
    /// </summary>
    [Fact]
    public async Task OrderUpdates_CrossingTrade_DeliversFillOfRestingOrder()
    {
        using var updates = OrderUpdateRecorder.Subscribe(Exchange);
        var request = Buy(RestingBuyPrice);
        var placed = await PlaceAsync(request);

        await TradeAsync(request.Price - Filters.TickSize, request.Quantity);

        var filled = await EventuallyAsync(
            $"OrderUpdates delivers {request.ClientOrderId} Filled",
            () => Task.FromResult(updates.Of(request.ClientOrderId).LastOrDefault(u => u.Status == OrderStatus.Filled)));
        AssertIsOrder(request, filled);
        Assert.Equal(placed.OrderId, filled.OrderId);
        Assert.Equal(request.Quantity, filled.ExecutedQuantity);
    }

    /// <summary>
    /// Quantities and commission in an update are cumulative over the order's life, not per fill: the
    /// engine drops an update whose executed quantity is not ahead of what it knows (a duplicate or a
    /// late one), so a per-fill quantity would lose fills. On the stream, an order's executed quantity
    /// never goes down; Filled means executed equals quantity, and executed equal to quantity means Filled.
    /// </summary>
    [Fact]
    public async Task OrderUpdates_TwoFills_ExecutedQuantityIsCumulative()
    {
        using var updates = OrderUpdateRecorder.Subscribe(Exchange);
        var request = Buy(RestingBuyPrice);
        await PlaceAsync(request);

        await FillInTwoTradesAsync(request);

        var seen = await EventuallyAsync(
            $"OrderUpdates delivers {request.ClientOrderId} Filled",
            () => Task.FromResult(updates.Of(request.ClientOrderId) is var all && all.Any(u => u.Status == OrderStatus.Filled) ? all : null));
        AssertCumulative(request, seen, "OrderUpdates");
        Assert.Equal(request.Quantity, seen[^1].ExecutedQuantity);
    }

    /// <summary>
    /// What <see cref="IExchange.GetOrderAsync"/> reports is cumulative too: across queries during the
    /// order's life the executed quantity never goes down and ends at the order's quantity, Filled.
    /// </summary>
    [Fact]
    public async Task GetOrderAsync_TwoFills_ExecutedQuantityIsCumulative()
    {
        var request = Buy(RestingBuyPrice);
        var queried = new List<OrderUpdate> { await PlaceAsync(request) };

        await TradeAsync(request.Price - Filters.TickSize, HalfQuantity(request));
        queried.Add(await EventuallyAsync(
            $"GetOrderAsync({request.ClientOrderId}) reports a fill",
            async () => await QueryAsync(request.ClientOrderId) is { ExecutedQuantity: > 0 } u ? u : null));
        await TradeAsync(request.Price - Filters.TickSize, request.Quantity);
        queried.Add(await EventuallyAsync(
            $"GetOrderAsync({request.ClientOrderId}) reports the order Filled",
            async () => await QueryAsync(request.ClientOrderId) is { Status: OrderStatus.Filled } u ? u : null));

        AssertCumulative(request, queried, "GetOrderAsync");
    }

    /// <summary>
    /// The engine completes an update that does not know its commission from the order's fills, keyed by
    /// the order id the updates carry: they are the order's, and their quantities add up to its executed
    /// quantity (within <see cref="ExchangeContractTests.Patience"/>: the trade history may lag the order a moment).
    /// </summary>
    [Fact]
    public async Task GetOrderFillsAsync_FilledOrder_QuantitiesAddUpToExecutedQuantity()
    {
        var request = Buy(RestingBuyPrice);
        var placed = await PlaceAsync(request);
        await FillInTwoTradesAsync(request);

        var fills = await FillsCoveringAsync(placed.OrderId, request.Quantity);

        Assert.All(fills, f => Assert.Equal((Filters.Symbol, placed.OrderId), (f.Symbol, f.OrderId)));
        Assert.Equal(fills.Count, fills.Select(f => f.TradeId).Distinct().Count());
    }

    /// <summary>
    /// A trader sizes its SELL from the commission its BUY paid (taken in the base asset, it cannot be
    /// sold). So every update either carries the commission of every fill up to its executed quantity,
    /// in our asset names, or says <see cref="OrderUpdate.CommissionKnown"/> false (then the engine asks
    /// <see cref="IExchange.GetOrderFillsAsync"/>). A known commission must equal what the fills add up to.
    /// </summary>
    [Fact]
    public async Task OrderUpdate_CommissionKnown_EqualsCommissionOfItsFills()
    {
        using var updates = OrderUpdateRecorder.Subscribe(Exchange);
        var request = Buy(RestingBuyPrice);
        var placed = await PlaceAsync(request);
        var seen = new List<OrderUpdate> { placed };

        await FillInTwoTradesAsync(request);
        await EventuallyAsync(
            $"OrderUpdates delivers {request.ClientOrderId} Filled",
            () => Task.FromResult(updates.Of(request.ClientOrderId).LastOrDefault(u => u.Status == OrderStatus.Filled)));
        seen.AddRange(updates.Of(request.ClientOrderId));
        seen.Add(await QueryAsync(request.ClientOrderId));

        var fills = await FillsCoveringAsync(placed.OrderId, request.Quantity);
        foreach (var update in seen.Where(u => u.CommissionKnown))
        {
            var (commission, assets) = CommissionUpTo(fills, update.ExecutedQuantity);
            Assert.True(
                commission == update.Commission,
                $"Update {update} says its commission {update.Commission} is known, but its fills up to {update.ExecutedQuantity} add up to {commission}.");
            if (update.Commission != 0)
            {
                Assert.Contains(update.CommissionAsset, assets);
            }
        }
    }
}

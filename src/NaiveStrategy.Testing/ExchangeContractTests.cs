using System.Globalization;
using Xunit;
using Xunit.Sdk;

namespace NaiveStrategy.Testing;

/// <summary>
/// The rules an <see cref="IExchange"/> adapter must follow for the NaiveStrategy engine, stated as xunit
/// tests. Derive it in your own test project, implement the hooks, and every rule runs against your
/// adapter. Each test gets a fresh exchange from <see cref="CreateExchangeAsync"/> and is bounded by
/// <see cref="Patience"/> (no sleeps: conditions are polled).
/// </summary>
/// <remarks>
/// The tests trade <see cref="Filters"/>'s symbol with BUY orders only: resting ones at
/// <see cref="RestingBuyPrice"/> or a few ticks below, filled by trades made through
/// <see cref="PublishTradeAsync"/> one tick under their price.
/// </remarks>
public abstract class ExchangeContractTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private IExchange? _exchange;
    private long _lastTradeId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private int _lastOrder;

    /// <summary>The exchange under test, created for this test by <see cref="CreateExchangeAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">Read before <see cref="InitializeAsync"/>.</exception>
    protected IExchange Exchange => _exchange ?? throw new InvalidOperationException("The exchange is created in InitializeAsync.");

    /// <summary>
    /// The symbol the tests trade, with the filters the exchange must report for it, in our naming
    /// (upper-case <c>BASEQUOTE</c>, e.g. <c>XRPUSDT</c>, whatever the exchange calls it).
    /// </summary>
    protected abstract SymbolFilters Filters { get; }

    /// <summary>
    /// A price (a multiple of the tick size, at least ten ticks above the minimum price) at which a BUY
    /// rests: no trade happens below it unless <see cref="PublishTradeAsync"/> makes one. On a live
    /// test network, well below the market.
    /// </summary>
    protected abstract decimal RestingBuyPrice { get; }

    /// <summary>
    /// How long an eventually-consistent exchange may take before a query, the balances or the update
    /// stream reflect a change. Every wait in the kit is bounded by it.
    /// </summary>
    protected virtual TimeSpan Patience => TimeSpan.FromSeconds(5);

    /// <summary>A symbol the exchange does not list.</summary>
    protected virtual string UnknownSymbol => "NOSUCHCOIN" + Filters.QuoteAsset;

    /// <summary>When set, the <see cref="ExchangeError.Code"/> a filter failure must carry (Binance: -1013).</summary>
    protected virtual int? FilterFailureCode => null;

    /// <summary>When set, the <see cref="ExchangeError.Code"/> an unaffordable order must carry (Binance: -2010).</summary>
    protected virtual int? InsufficientBalanceCode => null;

    /// <summary>
    /// A fresh account on the exchange: no open order of the symbol, funded with at least 20 × the minimum
    /// notional of <see cref="Filters"/>'s quote asset. The kit disposes it after the test
    /// (<see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>).
    /// </summary>
    protected abstract Task<IExchange> CreateExchangeAsync();

    /// <summary>
    /// Makes a public trade happen on the exchange, so that resting orders match: a BUY priced strictly
    /// above <paramref name="trade"/>'s price fills (a SELL strictly below), at most its quantity where the
    /// exchange fills partially. The kit calls it only after the placements it depends on succeeded.
    /// </summary>
    protected abstract Task PublishTradeAsync(TradeEvent trade);

    /// <summary>Creates the exchange under test.</summary>
    public virtual async Task InitializeAsync() => _exchange = await CreateExchangeAsync();

    /// <summary>Disposes the exchange under test; override to release what the hooks started (call the base).</summary>
    public virtual async Task DisposeAsync()
    {
        await Disposal.DisposeAsync(_exchange);
    }

    // ---------------------------------------------------------------- filters

    /// <summary>
    /// The engine sizes and validates every order with these filters and routes everything by the
    /// symbol's name, so the adapter maps the exchange's name (e.g. Kraken's <c>XXRPZUSD</c>) to ours
    /// and its asset names to ours (the commission asset is compared with <see cref="SymbolFilters.BaseAsset"/>).
    /// </summary>
    [Fact]
    public async Task GetSymbolFiltersAsync_KnownSymbol_ReturnsItsFiltersUnderOurName()
    {
        var filters = Ok(await Exchange.GetSymbolFiltersAsync(Filters.Symbol), "GetSymbolFiltersAsync");

        Assert.Equal(Filters.Symbol, filters.Symbol);
        Assert.Equal(Filters.BaseAsset, filters.BaseAsset);
        Assert.Equal(Filters.QuoteAsset, filters.QuoteAsset);
        Assert.True(
            filters.Symbol.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)),
            $"Symbols are upper-case letters and digits in our naming, got '{filters.Symbol}'.");
        Assert.Equal(
            (Filters.TickSize, Filters.StepSize, Filters.MinPrice, Filters.MaxPrice, Filters.MinQuantity, Filters.MaxQuantity, Filters.MinNotional, Filters.MaxNotional),
            (filters.TickSize, filters.StepSize, filters.MinPrice, filters.MaxPrice, filters.MinQuantity, filters.MaxQuantity, filters.MinNotional, filters.MaxNotional));
        filters.Validate();
    }

    /// <summary>
    /// An unknown symbol is an error value, never an exception; and not <see cref="ExchangeErrorKind.Transient"/>
    /// or <see cref="ExchangeErrorKind.Unknown"/>, which would make the engine ask again for nothing.
    /// </summary>
    [Fact]
    public async Task GetSymbolFiltersAsync_UnknownSymbol_ReturnsErrorValue()
    {
        var result = await Exchange.GetSymbolFiltersAsync(UnknownSymbol);

        Assert.False(result.IsSuccess, $"GetSymbolFiltersAsync({UnknownSymbol}) succeeded: {result}.");
        Assert.Contains(result.Error.Kind, new[] { ExchangeErrorKind.Rejected, ExchangeErrorKind.NotFound });
    }

    // ---------------------------------------------------------------- placement

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

    // ---------------------------------------------------------------- queries

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

    // ---------------------------------------------------------------- fills

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
    /// quantity (within <see cref="Patience"/>: the trade history may lag the order a moment).
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

    // ---------------------------------------------------------------- cancel

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

    // ---------------------------------------------------------------- open orders and balances

    /// <summary>A fresh account has no open order: an empty list, not an error.</summary>
    [Fact]
    public async Task GetOpenOrdersAsync_NoOrders_ReturnsEmpty()
    {
        var open = Ok(await Exchange.GetOpenOrdersAsync(Filters.Symbol), "GetOpenOrdersAsync");

        Assert.Empty(open);
    }

    /// <summary>Open orders are exactly the symbol's orders still open: not the canceled one, not the filled one.</summary>
    [Fact]
    public async Task GetOpenOrdersAsync_OpenCanceledAndFilledOrders_ListsExactlyTheOpenOnes()
    {
        var low = RestingBuyPrice - (5 * Filters.TickSize);
        var open1 = Buy(low);
        var open2 = Buy(low - Filters.TickSize);
        var canceled = Buy(low);
        var filled = Buy(RestingBuyPrice);
        foreach (var request in new[] { open1, open2, canceled, filled })
        {
            await PlaceAsync(request);
        }

        Ok(await Exchange.CancelOrderAsync(Filters.Symbol, canceled.ClientOrderId), "CancelOrderAsync");
        await TradeAsync(RestingBuyPrice - Filters.TickSize, filled.Quantity); // above the others: only `filled` crosses
        await EventuallyAsync(
            $"GetOrderAsync({filled.ClientOrderId}) reports the order Filled",
            async () => await QueryAsync(filled.ClientOrderId) is { Status: OrderStatus.Filled } u ? u : null);

        var expected = new[] { open1.ClientOrderId, open2.ClientOrderId }.Order(StringComparer.Ordinal).ToArray();
        var open = await EventuallyAsync(
            $"GetOpenOrdersAsync lists exactly {string.Join(", ", expected)}",
            async () => Ok(await Exchange.GetOpenOrdersAsync(Filters.Symbol), "GetOpenOrdersAsync") is var list
                && list.Select(o => o.ClientOrderId).Order(StringComparer.Ordinal).SequenceEqual(expected) ? list : null);
        AssertIsOrder(open1, open.Single(o => o.ClientOrderId == open1.ClientOrderId));
        AssertIsOrder(open2, open.Single(o => o.ClientOrderId == open2.ClientOrderId));
    }

    /// <summary>Balances name assets the way the filters do (the engine matches them by name), and show the funded quote.</summary>
    [Fact]
    public async Task GetBalancesAsync_FundedAccount_ReportsQuoteAssetUnderOurName()
    {
        var balances = Ok(await Exchange.GetBalancesAsync(), "GetBalancesAsync");

        var quote = Assert.Single(balances, b => b.Asset == Filters.QuoteAsset);
        Assert.True(quote.Free > 0, $"CreateExchangeAsync must fund the account with {Filters.QuoteAsset}; got {quote}.");
        Assert.All(balances, b => Assert.True(b.Free >= 0 && b.Locked >= 0, $"Negative balance {b}."));
    }

    // ---------------------------------------------------------------- helpers for derived tests

    /// <summary>A client order id unique to this test run (letters, digits and '-', at most 20 characters).</summary>
    protected string NewClientOrderId() => "ct" + _run + "-" + Interlocked.Increment(ref _lastOrder).ToString(CultureInfo.InvariantCulture);

    /// <summary>A BUY of the symbol with a new client order id; by default the smallest quantity comfortably above the minimum notional.</summary>
    protected OrderRequest Buy(decimal price, decimal? quantity = null) =>
        new(Filters.Symbol, NewClientOrderId(), OrderSide.Buy, price, quantity ?? OrderQuantity(price));

    /// <summary>Makes a trade of the symbol happen through <see cref="PublishTradeAsync"/>, with a new trade id.</summary>
    protected Task TradeAsync(decimal price, decimal quantity) =>
        PublishTradeAsync(new TradeEvent(Filters.Symbol, Interlocked.Increment(ref _lastTradeId), price, quantity, DateTimeOffset.UtcNow));

    /// <summary>Polls <paramref name="probe"/> until it returns a value, failing with <paramref name="what"/> after <see cref="Patience"/>.</summary>
    protected async Task<T> EventuallyAsync<T>(string what, Func<Task<T?>> probe)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new XunitException($"Not within {Patience.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Patience): {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// The order by client order id, asking again while the exchange answers <see cref="ExchangeErrorKind.Transient"/>
    /// or <see cref="ExchangeErrorKind.Unknown"/>; fails at once on any other error (NotFound included).
    /// </summary>
    protected async Task<OrderUpdate> QueryAsync(string clientOrderId)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var result = await Exchange.GetOrderAsync(Filters.Symbol, clientOrderId);
            if (result.IsSuccess)
            {
                return result.Value;
            }

            if (result.Error.Kind is not (ExchangeErrorKind.Transient or ExchangeErrorKind.Unknown))
            {
                throw new XunitException($"GetOrderAsync({clientOrderId}) of an order the exchange accepted answered {result.Error}: the engine would place it again.");
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new XunitException($"GetOrderAsync({clientOrderId}) still failed after {Patience.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Patience): {result.Error}.");
            }

            await Task.Delay(20);
        }
    }

    private async Task<OrderUpdate> PlaceAsync(OrderRequest request) => Ok(await Exchange.PlaceLimitOrderAsync(request), $"PlaceLimitOrderAsync({request})");

    private async Task<Balance> QuoteBalanceAsync()
    {
        var balances = Ok(await Exchange.GetBalancesAsync(), "GetBalancesAsync");
        return balances.SingleOrDefault(b => b.Asset == Filters.QuoteAsset) ?? new Balance(Filters.QuoteAsset, 0m, 0m);
    }

    // Half the order (at least one step) in a first trade, then the rest: two fills where the exchange fills partially.
    private async Task FillInTwoTradesAsync(OrderRequest request)
    {
        await TradeAsync(request.Price - Filters.TickSize, HalfQuantity(request));
        await EventuallyAsync(
            $"GetOrderAsync({request.ClientOrderId}) reports a fill",
            async () => await QueryAsync(request.ClientOrderId) is { ExecutedQuantity: > 0 } u ? u : null);
        await TradeAsync(request.Price - Filters.TickSize, request.Quantity);
        await EventuallyAsync(
            $"GetOrderAsync({request.ClientOrderId}) reports the order Filled",
            async () => await QueryAsync(request.ClientOrderId) is { Status: OrderStatus.Filled } u ? u : null);
    }

    // A fill the stream delivers proves it live: what happens afterwards reaches the subscriber. The probe
    // rests one tick above RestingBuyPrice and fills on a trade AT RestingBuyPrice, which crosses nothing else.
    // The fill may come from the adapter's resync query rather than an event: that proves the stream live only
    // because the contract has the adapter resync after its subscription is confirmed, not when its socket opens
    // (one that queries first can pass this and then miss the next order's events, which a loaded machine shows).
    private async Task UntilOrderUpdatesLiveAsync(OrderUpdateRecorder updates)
    {
        var probe = Buy(RestingBuyPrice + Filters.TickSize);
        await PlaceAsync(probe);
        await TradeAsync(RestingBuyPrice, probe.Quantity);
        await EventuallyAsync(
            $"OrderUpdates delivers the fill of {probe.ClientOrderId}",
            () => Task.FromResult(updates.Of(probe.ClientOrderId).LastOrDefault(u => u.Status == OrderStatus.Filled)));
    }

    private OrderRequest FilterBreakingBuy()
    {
        var smallest = Math.Max(Filters.StepSize, Filters.MinQuantity);
        var request = RestingBuyPrice * smallest < Filters.MinNotional ? Buy(RestingBuyPrice, smallest)
            : Filters.MinQuantity > Filters.StepSize ? Buy(RestingBuyPrice, Filters.MinQuantity - Filters.StepSize)
            : Buy(RestingBuyPrice + (Filters.TickSize / 2));
        Assert.True(Filters.FindFilterFailure(request.Price, request.Quantity) is not null, $"{request} should break the filters {Filters}.");
        return request;
    }

    private decimal HalfQuantity(OrderRequest request) => Math.Max(Filters.StepSize, Math.Floor(request.Quantity / 2 / Filters.StepSize) * Filters.StepSize);

    private async Task<IReadOnlyList<OrderFill>> FillsCoveringAsync(long orderId, decimal executed) =>
        await EventuallyAsync(
            $"GetOrderFillsAsync({Filters.Symbol}, {orderId}) returns fills adding up to {executed}",
            async () => Ok(await Exchange.GetOrderFillsAsync(Filters.Symbol, orderId), "GetOrderFillsAsync") is var fills
                && fills.Sum(f => f.Quantity) == executed ? fills : null);

    // The commission of the fills (in trade order) that make up `executed`, and the assets it was taken in.
    private static (decimal Commission, IReadOnlyList<string?> Assets) CommissionUpTo(IReadOnlyList<OrderFill> fills, decimal executed)
    {
        var quantity = 0m;
        var commission = 0m;
        var assets = new List<string?>();
        foreach (var fill in fills.OrderBy(f => f.TradeId))
        {
            if (quantity >= executed)
            {
                break;
            }

            quantity += fill.Quantity;
            commission += fill.Commission;
            assets.Add(fill.CommissionAsset);
        }

        Assert.True(quantity == executed, $"The fills in trade order do not add up to an update's executed quantity {executed} (got {quantity}).");
        return (commission, assets);
    }

    // Smallest multiple of the step at or above the minimum quantity whose notional is 1.5 × the minimum.
    private decimal OrderQuantity(decimal price) =>
        Math.Max(RoundUpToStep(Math.Max(Filters.MinQuantity, Filters.MinNotional * 1.5m / price)), 2 * Filters.StepSize);

    private decimal RoundUpToStep(decimal quantity) => Math.Ceiling(quantity / Filters.StepSize) * Filters.StepSize;

    private async Task AssertNeverPlacedAsync(string clientOrderId)
    {
        var found = await Exchange.GetOrderAsync(Filters.Symbol, clientOrderId);
        Assert.False(found.IsSuccess, $"A rejected placement left an order: {found}.");
        Assert.Equal(ExchangeErrorKind.NotFound, found.Error.Kind);
        var open = Ok(await Exchange.GetOpenOrdersAsync(Filters.Symbol), "GetOpenOrdersAsync");
        Assert.DoesNotContain(open, o => o.ClientOrderId == clientOrderId);
    }

    private static void AssertRejected(ExchangeResult<OrderUpdate> result, ExchangeErrorKind kind, int? code)
    {
        Assert.False(result.IsSuccess, $"The placement was accepted: {result}.");
        Assert.Equal(kind, result.Error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message), "A rejection says why in its message.");
        if (code is { } expected)
        {
            Assert.Equal(expected, result.Error.Code);
        }
    }

    private static void AssertIsOrder(OrderRequest request, OrderUpdate update) =>
        Assert.Equal(
            (request.Symbol, request.ClientOrderId, request.Side, request.Price, request.Quantity),
            (update.Symbol, update.ClientOrderId, update.Side, update.Price, update.Quantity));

    private static void AssertCumulative(OrderRequest request, IReadOnlyList<OrderUpdate> updates, string source)
    {
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            AssertIsOrder(request, update);
            Assert.True(
                (update.Status == OrderStatus.Filled) == (update.ExecutedQuantity == update.Quantity),
                $"{source}: Filled exactly when executed equals quantity, got {update}.");
            if (i > 0)
            {
                Assert.True(
                    update.ExecutedQuantity >= updates[i - 1].ExecutedQuantity,
                    $"{source}: the executed quantity went down from {updates[i - 1]} to {update}.");
            }
        }

        var known = updates.Where(u => u.CommissionKnown).ToArray();
        for (var i = 1; i < known.Length; i++)
        {
            Assert.True(known[i].Commission >= known[i - 1].Commission, $"{source}: the commission went down from {known[i - 1]} to {known[i]}.");
        }
    }

    private static T Ok<T>(ExchangeResult<T> result, string call) =>
        result.IsSuccess ? result.Value : throw new XunitException($"{call} failed: {result.Error}.");
}

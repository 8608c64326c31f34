using Xunit;

namespace NaiveStrategy.Testing;

/// <summary>
/// The rules the engine relies on from an exchange adapter, as xunit tests. Derive from it in your
/// test project, give it a fresh funded account (<see cref="CreateExchangeAsync"/>) and a way to make a
/// public trade happen (<see cref="PublishTradeAsync"/>), and every rule runs against your adapter.
/// Rules the interface cannot show: client order ids are the identity of an order (a second placement
/// with one is never executed); <see cref="ExchangeErrorKind.NotFound"/> means the exchange truly has no
/// such order (the engine then sends it again, so a wrong NotFound is a double order); quantities and
/// commission are cumulative; an update either carries the commission of all its fills or says it does
/// not; rejections are values, not exceptions.
/// </summary>
public abstract class ExchangeContractTests : IAsyncLifetime
{
    private IExchange? _exchange;

    /// <summary>The adapter under test (created before each test).</summary>
    protected IExchange Exchange => _exchange ?? throw new InvalidOperationException("The exchange is created before each test.");

    /// <summary>A listed symbol, in NaiveStrategy's form (upper-case, e.g. XRPUSDT).</summary>
    protected abstract string Symbol { get; }

    /// <summary>A price at which a BUY of <see cref="Symbol"/> rests without filling at once.</summary>
    protected abstract decimal RestingPrice { get; }

    /// <summary>The public trades paired with the exchange: the exchange itself when it is also an <see cref="IMarketData"/>.</summary>
    protected virtual IMarketData MarketData => Exchange as IMarketData ?? throw new InvalidOperationException("Override MarketData: the exchange is not an IMarketData.");

    /// <summary>How long an eventually consistent adapter may take to show a change.</summary>
    protected virtual TimeSpan Patience => TimeSpan.FromSeconds(10);

    /// <summary>A fresh adapter on an account funded with enough quote asset for a few orders.</summary>
    protected abstract Task<IExchange> CreateExchangeAsync();

    /// <summary>Makes a public trade happen on the exchange, so resting orders it crosses fill.</summary>
    protected abstract Task PublishTradeAsync(TradeEvent trade);

    /// <inheritdoc />
    public async Task InitializeAsync() => _exchange = await CreateExchangeAsync();

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_exchange is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>Filters come back for a listed symbol, under our symbol name, and can be traded with.</summary>
    [Fact]
    public async Task GetSymbolFiltersAsync_ListedSymbol_ItsFiltersUnderOurName()
    {
        var filters = await Filters();
        Assert.Equal(Symbol, filters.Symbol);
        filters.Validate();
    }

    /// <summary>An unknown symbol is an error value, not an exception.</summary>
    [Fact]
    public async Task GetSymbolFiltersAsync_UnknownSymbol_ErrorValue()
    {
        var result = await Exchange.GetSymbolFiltersAsync("NOSUCHPAIR");
        Assert.False(result.IsSuccess);
    }

    /// <summary>A placed order can be asked for by its client order id, as it was placed.</summary>
    [Fact]
    public async Task GetOrderAsync_PlacedOrder_SameOrder()
    {
        var request = await RestingBuy("kit-1-b");
        var placed = await Exchange.PlaceLimitOrderAsync(request);
        Assert.True(placed.IsSuccess, placed.ToString());

        var found = await Exchange.GetOrderAsync(Symbol, request.ClientOrderId);
        Assert.True(found.IsSuccess, found.ToString());
        var order = found.Value;
        Assert.Equal((request.Symbol, request.ClientOrderId, request.Side, request.Price, request.Quantity), (order.Symbol, order.ClientOrderId, order.Side, order.Price, order.Quantity));
        Assert.Equal(placed.Value.OrderId, order.OrderId);
    }

    /// <summary>NotFound only for an order that never existed: the engine resends on NotFound, so a wrong one is a double order.</summary>
    [Fact]
    public async Task GetOrderAsync_NeverPlaced_NotFound()
    {
        var found = await Exchange.GetOrderAsync(Symbol, "kit-never-b");
        Assert.False(found.IsSuccess);
        Assert.Equal(ExchangeErrorKind.NotFound, found.Error!.Kind);
    }

    /// <summary>A second placement with the client order id of an open order is refused and never executed.</summary>
    [Fact]
    public async Task PlaceLimitOrderAsync_SameClientOrderIdTwice_SecondRefusedOneOrder()
    {
        var request = await RestingBuy("kit-2-b");
        Assert.True((await Exchange.PlaceLimitOrderAsync(request)).IsSuccess);

        var again = await Exchange.PlaceLimitOrderAsync(request);

        Assert.False(again.IsSuccess);
        Assert.Contains(again.Error!.Kind, new[] { ExchangeErrorKind.Duplicate, ExchangeErrorKind.Rejected });
        var open = await Exchange.GetOpenOrdersAsync(Symbol);
        Assert.Single(open.Value, o => o.ClientOrderId == request.ClientOrderId);
    }

    /// <summary>An order that breaks a filter is refused as a value (Rejected, with the exchange's code), not an exception.</summary>
    [Fact]
    public async Task PlaceLimitOrderAsync_BelowMinimumNotional_RejectedValue()
    {
        var filters = await Filters();
        var tiny = new OrderRequest(Symbol, "kit-3-b", OrderSide.Buy, RestingPrice, filters.StepSize);
        Assert.True(filters.FindFilterFailure(tiny.Price, tiny.Quantity) is not null, "the kit needs a minimum notional above one step at RestingPrice");

        var result = await Exchange.PlaceLimitOrderAsync(tiny);

        Assert.False(result.IsSuccess);
        Assert.Equal(ExchangeErrorKind.Rejected, result.Error!.Kind);
        Assert.NotEqual(0, result.Error.Code);
    }

    /// <summary>The open orders of a symbol are exactly those placed and not yet finished.</summary>
    [Fact]
    public async Task GetOpenOrdersAsync_TwoPlacedOneCanceled_ListsTheOpenOne()
    {
        var first = await RestingBuy("kit-4-b");
        var second = await RestingBuy("kit-5-b");
        Assert.True((await Exchange.PlaceLimitOrderAsync(first)).IsSuccess);
        Assert.True((await Exchange.PlaceLimitOrderAsync(second)).IsSuccess);
        Assert.True((await Exchange.CancelOrderAsync(Symbol, first.ClientOrderId)).IsSuccess);

        var open = await Exchange.GetOpenOrdersAsync(Symbol);

        Assert.Equal([second.ClientOrderId], open.Value.Select(o => o.ClientOrderId).ToArray());
    }

    /// <summary>Cancel answers the order's final state, and the funds it held come back.</summary>
    [Fact]
    public async Task CancelOrderAsync_OpenOrder_CanceledAndFundsReleased()
    {
        var filters = await Filters();
        var before = await Free(filters.QuoteAsset);
        var request = await RestingBuy("kit-6-b");
        Assert.True((await Exchange.PlaceLimitOrderAsync(request)).IsSuccess);

        var canceled = await Exchange.CancelOrderAsync(Symbol, request.ClientOrderId);

        Assert.True(canceled.IsSuccess, canceled.ToString());
        Assert.Equal(OrderStatus.Canceled, canceled.Value.Status);
        Assert.Equal(before, await Free(filters.QuoteAsset));
    }

    /// <summary>Canceling an order that does not exist is an error value.</summary>
    [Fact]
    public async Task CancelOrderAsync_UnknownOrder_ErrorValue()
    {
        var result = await Exchange.CancelOrderAsync(Symbol, "kit-never-s");
        Assert.False(result.IsSuccess);
    }

    /// <summary>
    /// A crossing trade fills a resting order; the update stream reports it with cumulative quantities that
    /// never go back, and the fill's commission either comes with it or is said to be missing.
    /// </summary>
    [Fact]
    public async Task OrderUpdates_CrossingTrade_CumulativeFillReported()
    {
        var seen = new List<OrderUpdate>();
        using var subscription = Exchange.OrderUpdates.Subscribe(u =>
        {
            lock (seen)
            {
                seen.Add(u);
            }
        });
        var request = await RestingBuy("kit-7-b");
        Assert.True((await Exchange.PlaceLimitOrderAsync(request)).IsSuccess);

        var filled = await Eventually(async () =>
        {
            await PublishTradeAsync(TradeBelow(request));
            lock (seen)
            {
                return seen.LastOrDefault(u => u.ClientOrderId == request.ClientOrderId && u.Status == OrderStatus.Filled);
            }
        });

        Assert.Equal(request.Quantity, filled.ExecutedQuantity);
        lock (seen)
        {
            var executed = seen.Where(u => u.ClientOrderId == request.ClientOrderId).Select(u => u.ExecutedQuantity).ToArray();
            Assert.Equal(executed.Order(), executed);
        }
    }

    /// <summary>
    /// The fills of an order add up to its executed quantity, and their commission to the update's when the
    /// update says it is known: this is how the engine learns the fee of a fill seen only through a query.
    /// </summary>
    [Fact]
    public async Task GetOrderFillsAsync_FilledOrder_FillsAddUpToTheOrder()
    {
        var request = await RestingBuy("kit-8-b");
        Assert.True((await Exchange.PlaceLimitOrderAsync(request)).IsSuccess);
        var filled = await Eventually(async () =>
        {
            await PublishTradeAsync(TradeBelow(request));
            var order = await Exchange.GetOrderAsync(Symbol, request.ClientOrderId);
            return order.IsSuccess && order.Value.Status == OrderStatus.Filled ? order.Value : null;
        });

        var fills = await Eventually(async () =>
        {
            var result = await Exchange.GetOrderFillsAsync(Symbol, filled.OrderId);
            return result.IsSuccess && result.Value.Sum(f => f.Quantity) == filled.ExecutedQuantity ? result.Value : null;
        });

        Assert.All(fills, f => Assert.Equal(filled.OrderId, f.OrderId));
        if (filled.CommissionKnown)
        {
            Assert.Equal(filled.Commission, fills.Sum(f => f.Commission));
        }
    }

    /// <summary>A public trade reaches a subscriber with its symbol, id, price, quantity, time and side intact.</summary>
    [Fact]
    public async Task MarketTrades_PublishedTrade_ArrivesIntact()
    {
        var received = new List<TradeEvent>();
        using var subscription = MarketData.MarketTrades(Symbol).Subscribe(t =>
        {
            lock (received)
            {
                received.Add(t);
            }
        });
        var trade = new TradeEvent(Symbol, 4242, RestingPrice, 12m, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), true);

        var arrived = await Eventually(async () =>
        {
            await PublishTradeAsync(trade);
            lock (received)
            {
                return received.Count > 0 ? (object)received[0] : null;
            }
        });

        Assert.Equal(trade, arrived);
    }

    /// <summary>A valid BUY of <see cref="Symbol"/> at <see cref="RestingPrice"/>: twice the minimum notional, in whole steps.</summary>
    protected async Task<OrderRequest> RestingBuy(string clientOrderId)
    {
        var filters = await Filters();
        var quantity = Math.Max(filters.MinQuantity, filters.StepSize);
        while (filters.FindFilterFailure(RestingPrice, quantity) is not null || RestingPrice * quantity < 2 * filters.MinNotional)
        {
            quantity += filters.StepSize;
        }

        return new OrderRequest(Symbol, clientOrderId, OrderSide.Buy, RestingPrice, quantity);
    }

    /// <summary>A public trade strictly below a BUY's price, large enough to fill it.</summary>
    protected TradeEvent TradeBelow(OrderRequest buy)
    {
        ArgumentNullException.ThrowIfNull(buy);
        return new TradeEvent(Symbol, Interlocked.Increment(ref _tradeIds), buy.Price * 0.99m, buy.Quantity * 10, DateTimeOffset.UtcNow);
    }

    /// <summary>Polls <paramref name="probe"/> until it gives a value or <see cref="Patience"/> runs out.</summary>
    protected async Task<T> Eventually<T>(Func<Task<T?>> probe)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"The exchange did not show the expected change within {Patience}.");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    private long _tradeIds = 1_000_000;

    private async Task<SymbolFilters> Filters()
    {
        var filters = await Exchange.GetSymbolFiltersAsync(Symbol);
        Assert.True(filters.IsSuccess, filters.ToString());
        return filters.Value;
    }

    private async Task<decimal> Free(string asset)
    {
        var balances = await Exchange.GetBalancesAsync();
        Assert.True(balances.IsSuccess, balances.ToString());
        return balances.Value.FirstOrDefault(b => b.Asset == asset)?.Free ?? 0m;
    }
}

using System.Globalization;
using Xunit;
using Xunit.Sdk;

namespace NaiveStrategy.Testing;

/// <summary>
/// The rules an <see cref="IExchange"/> adapter must follow for the NaiveStrategy engine, stated as xunit
/// tests, one abstract class per area (as <c>DependencyInjectionSpecificationTests</c> is for containers):
/// <see cref="ExchangeFiltersContractTests"/>, <see cref="ExchangePlacementContractTests"/>,
/// <see cref="ExchangeQueryContractTests"/>, <see cref="ExchangeFillContractTests"/>,
/// <see cref="ExchangeCancelContractTests"/> and <see cref="ExchangeAccountContractTests"/>. Derive each area
/// your adapter supports in your own test project and return your <see cref="ExchangeUnderTest"/> from
/// <see cref="CreateExchangeUnderTest"/>: every rule of those areas runs against your adapter. Each test gets
/// a fresh exchange and is bounded by <see cref="Patience"/> (no sleeps: conditions are polled). This base
/// holds no test: it creates the exchange and gives areas (yours too) their helpers.
/// </summary>
public abstract class ExchangeContractTests : IAsyncLifetime
{
    // How often a condition is asked again while the exchange has not caught up.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private ExchangeUnderTest? _underTest;
    private IExchange? _exchange;
    private long _lastTradeId;
    private int _lastOrder;

    /// <summary>The adapter under test, from <see cref="CreateExchangeUnderTest"/>.</summary>
    /// <exception cref="InvalidOperationException">Read before <see cref="InitializeAsync"/>.</exception>
    protected ExchangeUnderTest UnderTest => _underTest ?? throw new InvalidOperationException("The exchange under test is created in InitializeAsync.");

    /// <summary>The exchange under test, created for this test by <see cref="ExchangeUnderTest.CreateExchangeAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">Read before <see cref="InitializeAsync"/>.</exception>
    protected IExchange Exchange => _exchange ?? throw new InvalidOperationException("The exchange is created in InitializeAsync.");

    /// <summary>The symbol the tests trade: <see cref="ExchangeUnderTest.Filters"/>.</summary>
    protected SymbolFilters Filters => UnderTest.Filters;

    /// <summary>Where a BUY rests: <see cref="ExchangeUnderTest.RestingBuyPrice"/>.</summary>
    protected decimal RestingBuyPrice => UnderTest.RestingBuyPrice;

    /// <summary>The bound of every wait: <see cref="ExchangeUnderTest.Patience"/>.</summary>
    protected TimeSpan Patience => UnderTest.Patience;

    /// <summary>A symbol the exchange does not list: <see cref="ExchangeUnderTest.UnknownSymbol"/>.</summary>
    protected string UnknownSymbol => UnderTest.UnknownSymbol;

    /// <summary>The code a filter failure must carry, if pinned: <see cref="ExchangeUnderTest.FilterFailureCode"/>.</summary>
    protected int? FilterFailureCode => UnderTest.FilterFailureCode;

    /// <summary>The code an unaffordable order must carry, if pinned: <see cref="ExchangeUnderTest.InsufficientBalanceCode"/>.</summary>
    protected int? InsufficientBalanceCode => UnderTest.InsufficientBalanceCode;

    /// <summary>A new adapter under test, for one test (the kit disposes it).</summary>
    protected abstract ExchangeUnderTest CreateExchangeUnderTest();

    /// <summary>Makes a public trade happen: <see cref="ExchangeUnderTest.PublishTradeAsync"/>.</summary>
    protected Task PublishTradeAsync(TradeEvent trade) => UnderTest.PublishTradeAsync(trade);

    /// <summary>Creates the exchange under test.</summary>
    public virtual async Task InitializeAsync()
    {
        _underTest = CreateExchangeUnderTest();
        _lastTradeId = _underTest.Time.GetUtcNow().ToUnixTimeMilliseconds();
        _exchange = await _underTest.CreateExchangeAsync();
    }

    /// <summary>Disposes the exchange under test, then the adapter under test.</summary>
    public virtual async Task DisposeAsync()
    {
        await Disposal.DisposeAsync(_exchange);
        if (_underTest is not null)
        {
            await _underTest.DisposeAsync();
        }
    }

    // ---------------------------------------------------------------- helpers for the areas

    /// <summary>A client order id unique to this test run (letters, digits and '-', at most 20 characters).</summary>
    protected string NewClientOrderId() => "ct" + _run + "-" + Interlocked.Increment(ref _lastOrder).ToString(CultureInfo.InvariantCulture);

    /// <summary>A BUY of the symbol with a new client order id; by default the smallest quantity comfortably above the minimum notional.</summary>
    protected OrderRequest Buy(decimal price, decimal? quantity = null) =>
        new(Filters.Symbol, NewClientOrderId(), OrderSide.Buy, price, quantity ?? OrderQuantity(price));

    /// <summary>Makes a trade of the symbol happen through <see cref="PublishTradeAsync"/>, with a new trade id, at <see cref="ExchangeUnderTest.Time"/>'s now.</summary>
    protected Task TradeAsync(decimal price, decimal quantity) =>
        PublishTradeAsync(new TradeEvent(Filters.Symbol, Interlocked.Increment(ref _lastTradeId), price, quantity, UnderTest.Time.GetUtcNow()));

    /// <summary>Polls <paramref name="probe"/> until it returns a value, failing with <paramref name="what"/> after <see cref="Patience"/>.</summary>
    protected async Task<T> EventuallyAsync<T>(string what, Func<Task<T?>> probe)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var deadline = UnderTest.Time.GetUtcNow() + Patience;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (UnderTest.Time.GetUtcNow() >= deadline)
            {
                throw new XunitException($"Not within {Patience.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Patience): {what}.");
            }

            await Task.Delay(PollInterval, UnderTest.Time);
        }
    }

    /// <summary>
    /// The order by client order id, asking again while the exchange answers <see cref="ExchangeErrorKind.Transient"/>
    /// or <see cref="ExchangeErrorKind.Unknown"/>; fails at once on any other error (NotFound included).
    /// </summary>
    protected async Task<OrderUpdate> QueryAsync(string clientOrderId)
    {
        var deadline = UnderTest.Time.GetUtcNow() + Patience;
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

            if (UnderTest.Time.GetUtcNow() >= deadline)
            {
                throw new XunitException($"GetOrderAsync({clientOrderId}) still failed after {Patience.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Patience): {result.Error}.");
            }

            await Task.Delay(PollInterval, UnderTest.Time);
        }
    }

    private protected async Task<OrderUpdate> PlaceAsync(OrderRequest request) => Ok(await Exchange.PlaceLimitOrderAsync(request), $"PlaceLimitOrderAsync({request})");

    private protected async Task<Balance> QuoteBalanceAsync()
    {
        var balances = Ok(await Exchange.GetBalancesAsync(), "GetBalancesAsync");
        return balances.SingleOrDefault(b => b.Asset == Filters.QuoteAsset) ?? new Balance(Filters.QuoteAsset, 0m, 0m);
    }

    // Half the order (at least one step) in a first trade, then the rest: two fills where the exchange fills partially.
    private protected async Task FillInTwoTradesAsync(OrderRequest request)
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
    private protected async Task UntilOrderUpdatesLiveAsync(OrderUpdateRecorder updates)
    {
        var probe = Buy(RestingBuyPrice + Filters.TickSize);
        await PlaceAsync(probe);
        await TradeAsync(RestingBuyPrice, probe.Quantity);
        await EventuallyAsync(
            $"OrderUpdates delivers the fill of {probe.ClientOrderId}",
            () => Task.FromResult(updates.Of(probe.ClientOrderId).LastOrDefault(u => u.Status == OrderStatus.Filled)));
    }

    private protected OrderRequest FilterBreakingBuy()
    {
        var smallest = Math.Max(Filters.StepSize, Filters.MinQuantity);
        var request = RestingBuyPrice * smallest < Filters.MinNotional ? Buy(RestingBuyPrice, smallest)
            : Filters.MinQuantity > Filters.StepSize ? Buy(RestingBuyPrice, Filters.MinQuantity - Filters.StepSize)
            : Buy(RestingBuyPrice + (Filters.TickSize / 2));
        Assert.True(Filters.FindFilterFailure(request.Price, request.Quantity) is not null, $"{request} should break the filters {Filters}.");
        return request;
    }

    private protected decimal HalfQuantity(OrderRequest request) => Math.Max(Filters.StepSize, Math.Floor(request.Quantity / 2 / Filters.StepSize) * Filters.StepSize);

    private protected async Task<IReadOnlyList<OrderFill>> FillsCoveringAsync(long orderId, decimal executed) =>
        await EventuallyAsync(
            $"GetOrderFillsAsync({Filters.Symbol}, {orderId}) returns fills adding up to {executed}",
            async () => Ok(await Exchange.GetOrderFillsAsync(Filters.Symbol, orderId), "GetOrderFillsAsync") is var fills
                && fills.Sum(f => f.Quantity) == executed ? fills : null);

    // The commission of the fills (in trade order) that make up `executed`, and the assets it was taken in.
    private protected static (decimal Commission, IReadOnlyList<string?> Assets) CommissionUpTo(IReadOnlyList<OrderFill> fills, decimal executed)
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
    private protected decimal OrderQuantity(decimal price) =>
        Math.Max(RoundUpToStep(Math.Max(Filters.MinQuantity, Filters.MinNotional * 1.5m / price)), 2 * Filters.StepSize);

    private protected decimal RoundUpToStep(decimal quantity) => Math.Ceiling(quantity / Filters.StepSize) * Filters.StepSize;

    private protected async Task AssertNeverPlacedAsync(string clientOrderId)
    {
        var found = await Exchange.GetOrderAsync(Filters.Symbol, clientOrderId);
        Assert.False(found.IsSuccess, $"A rejected placement left an order: {found}.");
        Assert.Equal(ExchangeErrorKind.NotFound, found.Error.Kind);
        var open = Ok(await Exchange.GetOpenOrdersAsync(Filters.Symbol), "GetOpenOrdersAsync");
        Assert.DoesNotContain(open, o => o.ClientOrderId == clientOrderId);
    }

    private protected static void AssertRejected(ExchangeResult<OrderUpdate> result, ExchangeErrorKind kind, int? code)
    {
        Assert.False(result.IsSuccess, $"The placement was accepted: {result}.");
        Assert.Equal(kind, result.Error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message), "A rejection says why in its message.");
        if (code is { } expected)
        {
            Assert.Equal(expected, result.Error.Code);
        }
    }

    private protected static void AssertIsOrder(OrderRequest request, OrderUpdate update) =>
        Assert.Equal(
            (request.Symbol, request.ClientOrderId, request.Side, request.Price, request.Quantity),
            (update.Symbol, update.ClientOrderId, update.Side, update.Price, update.Quantity));

    private protected static void AssertCumulative(OrderRequest request, IReadOnlyList<OrderUpdate> updates, string source)
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

    private protected static T Ok<T>(ExchangeResult<T> result, string call) =>
        result.IsSuccess ? result.Value : throw new XunitException($"{call} failed: {result.Error}.");
}

using Xunit;
using Xunit.Sdk;

namespace NaiveStrategy.Testing;

/// <summary>
/// The rules an <see cref="IExchange"/> adapter's MARKET orders (<see cref="IExchange.PlaceMarketOrderAsync"/>, a risk
/// guard's exit) must follow, as xunit tests: derive it, implement the hooks, and every rule runs against your
/// adapter. Each test gets a fresh exchange from <see cref="CreateExchangeAsync"/>, funded with base to sell; waits
/// are bounded by <see cref="Patience"/>.
/// </summary>
public abstract class MarketOrderContractTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private IExchange? _exchange;
    private long _lastTradeId;

    /// <summary>The exchange under test, created for this test by <see cref="CreateExchangeAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">Read before <see cref="InitializeAsync"/>.</exception>
    protected IExchange Exchange => _exchange ?? throw new InvalidOperationException("The exchange is created in InitializeAsync.");

    /// <summary>The symbol the tests sell, with its filters in our naming.</summary>
    protected abstract SymbolFilters Filters { get; }

    /// <summary>A price at which a MARKET SELL of a few steps clears the symbol's minimum notional.</summary>
    protected abstract decimal MarketPrice { get; }

    /// <summary>The clock the kit's trades are stamped with and its waits measured on (the system's by default).</summary>
    protected virtual TimeProvider Time => TimeProvider.System;

    /// <summary>How long an eventually-consistent exchange may take before a query reflects a fill.</summary>
    protected virtual TimeSpan Patience => TimeSpan.FromSeconds(5);

    /// <summary>When set, the <see cref="ExchangeError.Code"/> a filter failure must carry (Binance: -1013).</summary>
    protected virtual int? FilterFailureCode => null;

    /// <summary>When set, the <see cref="ExchangeError.Code"/> an unaffordable order must carry (Binance: -2010).</summary>
    protected virtual int? InsufficientBalanceCode => null;

    /// <summary>
    /// A fresh account holding at least 100 × the minimum notional's worth of <see cref="Filters"/>'s base asset at
    /// <see cref="MarketPrice"/>, and no open order of the symbol. The kit disposes it after the test.
    /// </summary>
    protected abstract Task<IExchange> CreateExchangeAsync();

    /// <summary>Makes a public trade happen, which a MARKET order waiting for the market executes against.</summary>
    protected abstract Task PublishTradeAsync(TradeEvent trade);

    /// <summary>Creates the exchange under test.</summary>
    public virtual async Task InitializeAsync()
    {
        _lastTradeId = Time.GetUtcNow().ToUnixTimeMilliseconds();
        _exchange = await CreateExchangeAsync();
    }

    /// <summary>Disposes the exchange under test.</summary>
    public virtual async Task DisposeAsync() => await Disposal.DisposeAsync(_exchange);

    /// <summary>
    /// A MARKET SELL the account can pay executes at the market, fully, and its state says what it sold for
    /// (<see cref="OrderUpdate.QuoteQuantity"/>): its price is 0, so the engine knows the exit's proceeds only from it.
    /// </summary>
    [Fact]
    public async Task PlaceMarketOrderAsync_SellWithinTheBalance_ExecutesFullyAndReportsItsQuoteQuantity()
    {
        var quantity = Quantity();
        var request = Request(quantity);
        var placed = Ok(await Exchange.PlaceMarketOrderAsync(request), "PlaceMarketOrderAsync");
        Assert.Equal(request.ClientOrderId, placed.ClientOrderId);
        Assert.Equal(OrderSide.Sell, placed.Side);

        await PublishTradeAsync(Trade(MarketPrice, quantity * 10));
        var filled = await EventuallyFilledAsync(request.ClientOrderId);

        Assert.Equal(quantity, filled.ExecutedQuantity);
        Assert.True(filled.QuoteQuantity is > 0, $"A MARKET order's updates carry what it executed for; got {filled.QuoteQuantity?.ToString() ?? "null"}.");
        Assert.True(filled.Commission >= 0);
    }

    /// <summary>A quantity off LOT_SIZE's step is refused as a value (a filter failure), and nothing executes.</summary>
    [Fact]
    public async Task PlaceMarketOrderAsync_QuantityOffTheStep_RejectedAsValue()
    {
        var result = await Exchange.PlaceMarketOrderAsync(Request(Quantity() + (Filters.StepSize / 2)));
        AssertRejected(result, FilterFailureCode);
    }

    /// <summary>Selling more base than the account holds is refused as a value (insufficient balance).</summary>
    [Fact]
    public async Task PlaceMarketOrderAsync_MoreThanTheAccountHolds_RejectedAsValue()
    {
        var balances = Ok(await Exchange.GetBalancesAsync(), "GetBalancesAsync");
        var held = balances.FirstOrDefault(b => string.Equals(b.Asset, Filters.BaseAsset, StringComparison.Ordinal))?.Free ?? 0m;
        var tooMuch = Math.Floor((held + (Filters.StepSize * 1000)) / Filters.StepSize) * Filters.StepSize;
        var result = await Exchange.PlaceMarketOrderAsync(Request(tooMuch));
        AssertRejected(result, InsufficientBalanceCode);
    }

    // A few steps, enough to clear the minimum notional at the market price.
    private decimal Quantity()
    {
        var needed = Filters.MinNotional > 0 ? (Filters.MinNotional * 2) / MarketPrice : Filters.StepSize * 10;
        var steps = Math.Ceiling(needed / Filters.StepSize);
        return Math.Max(Filters.MinQuantity, steps * Filters.StepSize);
    }

    private OrderRequest Request(decimal quantity) =>
        new(Filters.Symbol, $"mkt{_run}{Interlocked.Increment(ref _lastTradeId) % 100000}", OrderSide.Sell, 0m, quantity) { Type = OrderType.Market };

    private TradeEvent Trade(decimal price, decimal quantity) =>
        new(Filters.Symbol, Interlocked.Increment(ref _lastTradeId), price, quantity, Time.GetUtcNow());

    private async Task<OrderUpdate> EventuallyFilledAsync(string clientOrderId)
    {
        var deadline = Time.GetUtcNow() + Patience;
        while (true)
        {
            var answer = await Exchange.GetOrderAsync(Filters.Symbol, clientOrderId);
            if (answer.IsSuccess && answer.Value.Status == OrderStatus.Filled)
            {
                return answer.Value;
            }

            if (Time.GetUtcNow() > deadline)
            {
                throw new XunitException($"The MARKET SELL {clientOrderId} did not fill within {Patience}: last answer {answer}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private static void AssertRejected(ExchangeResult<OrderUpdate> result, int? code)
    {
        Assert.False(result.IsSuccess, $"Expected a refusal, got {result}.");
        Assert.Equal(ExchangeErrorKind.Rejected, result.Error!.Kind);
        if (code is { } expected)
        {
            Assert.Equal(expected, result.Error.Code);
        }
    }

    private static T Ok<T>(ExchangeResult<T> result, string call) =>
        result.IsSuccess ? result.Value : throw new XunitException($"{call} failed: {result.Error}");
}

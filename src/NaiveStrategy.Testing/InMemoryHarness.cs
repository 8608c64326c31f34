using Microsoft.Extensions.Options;
using NaiveStrategy.Binance;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Testing;

/// <summary>
/// The engine on the in-memory exchange, driven by hand: publish trades (market time moves with them), wait until
/// the engine is idle, read the orders. Every call completes synchronously, so a test needs no sleep.
/// </summary>
public sealed class InMemoryHarness : IAsyncDisposable
{
    private long _tradeId;

    private InMemoryHarness(InMemoryExchange exchange, NaiveStrategyEngine engine)
    {
        Exchange = exchange;
        Engine = engine;
    }

    /// <summary>The in-memory exchange (its clock is the engine's).</summary>
    public InMemoryExchange Exchange { get; }

    /// <summary>The engine under test.</summary>
    public NaiveStrategyEngine Engine { get; }

    /// <summary>Every order the exchange accepted, at its latest state, in placement order.</summary>
    public IReadOnlyList<OrderUpdate> Orders => Exchange.Orders;

    /// <summary>The orders still open on the exchange.</summary>
    public IReadOnlyList<OrderUpdate> OpenOrders => Orders.Where(o => o.Status is OrderStatus.New or OrderStatus.PartiallyFilled).ToArray();

    /// <summary>
    /// Starts the engine on <paramref name="settings"/> over an in-memory exchange listing <paramref name="filters"/>
    /// (XRPUSDT as Binance lists it when null) with <paramref name="quote"/> of the quote asset, on market time from <paramref name="start"/>.
    /// </summary>
    public static async Task<InMemoryHarness> StartAsync(SymbolSettings settings, SymbolFilters? filters = null, decimal quote = 1_000m, DateTimeOffset? start = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        filters ??= SymbolFilterPresets.XrpUsdt with { Symbol = settings.Symbol };
        var options = new InMemoryExchangeOptions { Symbols = { filters }, Balances = { [filters.QuoteAsset] = quote }, FeeRate = settings.FeeRate };
        if (start is { } time)
        {
            options.StartTime = time;
        }

        var exchange = new InMemoryExchange(options);
        var engineOptions = new NaiveStrategyOptions();
        engineOptions.Symbols.Add(settings with { Status = SymbolStatus.On });
        var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(engineOptions), new TraderIdGenerator("h"), exchange.Clock);
        var harness = new InMemoryHarness(exchange, engine);
        await engine.StartAsync(cancellationToken).ConfigureAwait(false);
        return harness;
    }

    /// <summary>Publishes a market trade of the harness's symbol, one second of market time after the last one.</summary>
    public void Publish(decimal price, decimal quantity = 1_000m)
    {
        var id = Interlocked.Increment(ref _tradeId);
        var symbol = Engine.Symbols.FirstOrDefault() ?? throw new InvalidOperationException("The engine trades no symbol.");
        Exchange.PublishTrade(new TradeEvent(symbol, id, price, quantity, Exchange.Clock.GetUtcNow().AddSeconds(1)));
    }

    /// <summary>Publishes a trade at each price in turn (see <see cref="Publish"/>).</summary>
    public void PublishPrices(params IEnumerable<decimal> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        foreach (var price in prices)
        {
            Publish(price);
        }
    }

    /// <summary>Waits until no call the engine started is in flight (see <see cref="NaiveStrategyEngine.WaitUntilIdleAsync"/>).</summary>
    public Task WaitUntilIdleAsync(CancellationToken cancellationToken = default) => Engine.WaitUntilIdleAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
    }
}

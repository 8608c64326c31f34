using System.Globalization;
using Xunit;
using Xunit.Sdk;

namespace NaiveStrategy.Testing;

/// <summary>
/// The rules an <see cref="IMarketData"/> adapter must follow for the NaiveStrategy engine, stated as
/// xunit tests: derive it, implement the hooks, and every rule runs against your market data source.
/// Each test gets a fresh source from <see cref="CreateMarketDataAsync"/> and is bounded by <see cref="Patience"/>.
/// </summary>
public abstract class MarketDataContractTests : IAsyncLifetime
{
    private IMarketData? _marketData;
    private long _lastTradeId;

    /// <summary>The source under test, created for this test by <see cref="CreateMarketDataAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">Read before <see cref="InitializeAsync"/>.</exception>
    protected IMarketData MarketData => _marketData ?? throw new InvalidOperationException("The market data source is created in InitializeAsync.");

    /// <summary>The symbol the tests subscribe to, in our naming (upper-case <c>BASEQUOTE</c>, e.g. <c>XRPUSDT</c>).</summary>
    protected abstract string Symbol { get; }

    /// <summary>The price of the trades the tests make (a multiple of the symbol's tick size).</summary>
    protected virtual decimal TradePrice => 0.5m;

    /// <summary>The quantity of the trades the tests make (a multiple of the symbol's step size).</summary>
    protected virtual decimal TradeQuantity => 10m;

    /// <summary>How long a subscription may take to connect and a trade to arrive. Every wait is bounded by it.</summary>
    protected virtual TimeSpan Patience => TimeSpan.FromSeconds(5);

    /// <summary>
    /// The clock of the source under test: the kit's waits are measured on it and its trades are stamped with it.
    /// The system clock unless the source runs on another.
    /// </summary>
    protected virtual TimeProvider Time => TimeProvider.System;

    /// <summary>A fresh market data source. The kit disposes it after the test (<see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>).</summary>
    protected abstract Task<IMarketData> CreateMarketDataAsync();

    /// <summary>Makes a public trade happen, so the source reports it.</summary>
    protected abstract Task PublishTradeAsync(TradeEvent trade);

    /// <summary>Creates the source under test.</summary>
    public virtual async Task InitializeAsync()
    {
        _lastTradeId = Time.GetUtcNow().ToUnixTimeMilliseconds();
        _marketData = await CreateMarketDataAsync();
    }

    /// <summary>Disposes the source under test; override to release what the hooks started (call the base).</summary>
    public virtual async Task DisposeAsync()
    {
        await Disposal.DisposeAsync(_marketData);
    }

    /// <summary>
    /// Every decision of a trader starts from a trade: a subscriber gets it under our symbol with its
    /// id, price and quantity intact (the trade is made again until the subscription is connected).
    /// </summary>
    [Fact]
    public async Task MarketTrades_PublishedTrade_ReachesSubscriberIntact()
    {
        using var received = TradeRecorder.Subscribe(MarketData, Symbol);
        var trade = NextTrade();

        var first = await UntilReceivedAsync(received, trade);

        Assert.Equal((trade.Symbol, trade.TradeId, trade.Price, trade.Quantity), (first.Symbol, first.TradeId, first.Price, first.Quantity));
    }

    /// <summary>Trades arrive in the order they happened: the engine reacts to each in turn (a rebuy level, a fill).</summary>
    [Fact]
    public async Task MarketTrades_SeveralTrades_ArriveInOrder()
    {
        using var received = TradeRecorder.Subscribe(MarketData, Symbol);
        await UntilReceivedAsync(received, NextTrade());
        var trades = Enumerable.Range(0, 5).Select(_ => NextTrade()).ToArray();

        foreach (var trade in trades)
        {
            await PublishTradeAsync(trade);
        }

        var ids = trades.Select(t => t.TradeId).ToArray();
        var arrived = await EventuallyAsync(
            $"trades {string.Join(", ", ids)} arrive",
            () => Task.FromResult(received.Trades.Select(t => t.TradeId).Where(ids.Contains).ToArray() is var seen && seen.Distinct().Count() == ids.Length ? seen : null));
        Assert.Equal(ids, arrived.Distinct());
    }

    private TradeEvent NextTrade() =>
        new(Symbol, Interlocked.Increment(ref _lastTradeId), TradePrice, TradeQuantity, DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds()));

    // A subscription may still be connecting: the trade is made again until it arrives.
    private async Task<TradeEvent> UntilReceivedAsync(TradeRecorder received, TradeEvent trade)
    {
        var arrived = await EventuallyAsync($"trade {trade.TradeId} of {trade.Symbol} reaches a subscriber", async () =>
        {
            if (received.Trades.Where(t => t.TradeId == trade.TradeId).Select(t => new Box(t)).FirstOrDefault() is { } box)
            {
                return box;
            }

            await PublishTradeAsync(trade);
            return null;
        });
        return arrived.Trade;
    }

    private async Task<T> EventuallyAsync<T>(string what, Func<Task<T?>> probe)
        where T : class
    {
        var deadline = Time.GetUtcNow() + Patience;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (Time.GetUtcNow() >= deadline)
            {
                throw new XunitException($"Not within {Patience.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Patience): {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), Time);
        }
    }

    private sealed record Box(TradeEvent Trade);

    private sealed class TradeRecorder : IObserver<TradeEvent>, IDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<TradeEvent> _trades = [];
        private IDisposable? _subscription;
        private Exception? _error;

        public IReadOnlyList<TradeEvent> Trades
        {
            get
            {
                lock (_gate)
                {
                    return _error is null
                        ? _trades.ToArray()
                        : throw new XunitException("MarketTrades failed: " + _error);
                }
            }
        }

        public static TradeRecorder Subscribe(IMarketData marketData, string symbol)
        {
            var recorder = new TradeRecorder();
            recorder._subscription = marketData.MarketTrades(symbol).Subscribe(recorder);
            return recorder;
        }

        public void OnNext(TradeEvent value)
        {
            lock (_gate)
            {
                _trades.Add(value);
            }
        }

        // Kept for the next read of Trades, which fails the test with it.
        public void OnError(Exception error)
        {
            lock (_gate)
            {
                _error = error;
            }
        }

        public void OnCompleted()
        {
        }

        public void Dispose() => _subscription?.Dispose();
    }
}

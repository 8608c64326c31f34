using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.Binance;

/// <summary>
/// Binance public trades (<c>&lt;symbol&gt;@trade</c> streams) behind <see cref="IMarketData"/>. Needs no keys and makes
/// no signed call: paper trading pairs it with the in-memory exchange. Symbols share combined-stream connections
/// (<c>/stream?streams=…</c>), up to <see cref="BinanceMarketDataOptions.StreamsPerConnection"/> each; a symbol asked for
/// or left at run time is subscribed or unsubscribed on its connection (<c>SUBSCRIBE</c>/<c>UNSUBSCRIBE</c>, at most
/// 4 control messages a second) without touching the others. Each connection reconnects on its own with jittered
/// backoff, connection attempts are spaced (<see cref="ConnectionAttempts"/>), and on <c>serverShutdown</c> or before
/// Binance's 24 h limit a connection is handed over: the new one is opened and subscribed before the old one closes,
/// trades both deliver meanwhile counted once (by trade id).
/// </summary>
public sealed partial class BinanceMarketData : IMarketData, IAsyncDisposable, IDisposable
{
    private readonly BinanceMarketDataOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SymbolFeed> _feeds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SymbolFeed> _byStream = new(StringComparer.Ordinal);
    private readonly List<StreamConnection> _connections = [];
    private readonly CancellationTokenSource _disposing = new();
    private readonly ConnectionAttempts _attempts;
    private int _nextConnection;

    private static readonly TimeSpan HandoverGrace = TimeSpan.FromSeconds(1);

    /// <summary>Creates the market data source.</summary>
    public BinanceMarketData(IOptions<BinanceMarketDataOptions> options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        var validation = new BinanceMarketDataOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(BinanceMarketDataOptions), typeof(BinanceMarketDataOptions), validation.Failures);
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NaiveStrategy.Binance");
        _attempts = new ConnectionAttempts(_time);
    }

    /// <summary>Stream connections open or being opened now.</summary>
    internal int Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Connection attempts in the last 5 minutes.</summary>
    internal int RecentConnectionAttempts => _attempts.Recent;

    /// <inheritdoc />
    public IObservable<TradeEvent> MarketTrades(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return Observable.Create<TradeEvent>(observer =>
        {
            Attach(symbol, observer);
            return Disposable.Create(() => Detach(symbol, observer));
        });
    }

    /// <summary>Closes the streams.</summary>
    public async ValueTask DisposeAsync()
    {
        // Cancelled, not disposed: stream loops still starting may read its token.
        await _disposing.CancelAsync();
    }

    /// <summary>Closes the streams (for containers disposed synchronously).</summary>
    public void Dispose() => _disposing.Cancel();

    private void Attach(string symbol, IObserver<TradeEvent> observer)
    {
        lock (_gate)
        {
            if (_feeds.TryGetValue(symbol, out var feed))
            {
                feed.Observers = [.. feed.Observers, observer];
                return;
            }

            feed = new SymbolFeed(symbol) { Observers = [observer] };
            _feeds[symbol] = feed;
            _byStream[feed.Stream] = feed;
            var connection = _connections.FirstOrDefault(c => !c.Retiring && c.Count < _options.StreamsPerConnection) ?? Open([]);
            connection.Add(feed);
        }
    }

    private void Detach(string symbol, IObserver<TradeEvent> observer)
    {
        lock (_gate)
        {
            if (!_feeds.TryGetValue(symbol, out var feed))
            {
                return;
            }

            feed.Observers = feed.Observers.Where(o => !ReferenceEquals(o, observer)).ToArray();
            if (feed.Observers.Length > 0)
            {
                return;
            }

            _feeds.Remove(symbol);
            _byStream.Remove(feed.Stream);
            if (feed.Connection is { } connection)
            {
                connection.Remove(feed);
                if (connection.Count == 0 && !connection.Retiring)
                {
                    Close(connection);
                }
            }
        }
    }

    // Called under the gate.
    private StreamConnection Open(IReadOnlyCollection<SymbolFeed> feeds)
    {
        var connection = new StreamConnection(this, ++_nextConnection);
        _connections.Add(connection);
        foreach (var feed in feeds)
        {
            connection.Add(feed);
        }

        connection.Start(_disposing.Token);
        return connection;
    }

    // Called under the gate.
    private void Close(StreamConnection connection)
    {
        _connections.Remove(connection);
        connection.Stop();
    }

    // serverShutdown, or the 24 h limit near: a new connection takes the feeds over; the old one keeps delivering until
    // the new one has every stream subscribed, and a second more, then closes.
    private void HandOver(StreamConnection old, string reason)
    {
        lock (_gate)
        {
            if (old.Retiring || !_connections.Contains(old))
            {
                return;
            }

            old.Retiring = true;
            var feeds = old.Feeds;
            foreach (var feed in feeds)
            {
                feed.DeduplicateUntil = _time.GetUtcNow() + TimeSpan.FromMinutes(1);
            }

            Log.HandingOver(_logger, old.Name, reason, feeds.Count);
            var successor = Open(feeds);
            successor.WhenSubscribed(() => _ = CloseAfterGraceAsync(old));
        }
    }

    // Trades Binance sent the old connection just before the successor's subscription began are still on their way on
    // it: it closes a moment later, not at once (the trades both deliver meanwhile are counted once).
    private async Task CloseAfterGraceAsync(StreamConnection old)
    {
        try
        {
            await Task.Delay(HandoverGrace, _time, _disposing.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            Close(old);
        }
    }

    // A connection handed over and then dropped (the server closed it before the grace ended) is gone for good.
    private void Retired(StreamConnection old)
    {
        lock (_gate)
        {
            Close(old);
        }
    }

    private void Deliver(string stream, System.Text.Json.JsonElement data)
    {
        SymbolFeed? feed;
        TradeEvent trade;
        lock (_gate)
        {
            if (!_byStream.TryGetValue(stream, out feed))
            {
                return;
            }

            trade = BinanceJson.Trade(data, feed.Symbol);

            // While two connections carry the symbol, a trade arrives twice: deliver only trades newer than the last.
            if (feed.DeduplicateUntil > _time.GetUtcNow() && trade.TradeId <= feed.LastTradeId)
            {
                return;
            }

            feed.LastTradeId = Math.Max(feed.LastTradeId, trade.TradeId);
        }

        foreach (var observer in feed.Observers)
        {
            observer.OnNext(trade);
        }
    }

    private sealed class SymbolFeed(string symbol)
    {
        public string Symbol { get; } = symbol;

        public string Stream { get; } = symbol.ToLowerInvariant() + "@trade";

        public IObserver<TradeEvent>[] Observers { get; set; } = [];

        public StreamConnection? Connection { get; set; }

        public long LastTradeId { get; set; } = long.MinValue;

        public DateTimeOffset DeduplicateUntil { get; set; }
    }
}

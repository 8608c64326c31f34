using System.Collections.Concurrent;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.Binance;

/// <summary>
/// Binance public trades (<c>&lt;symbol&gt;@trade</c> streams) behind <see cref="IMarketData"/>. Needs no
/// keys and makes no signed call: paper trading pairs it with the in-memory exchange. One socket per
/// symbol, shared by every subscriber, reconnected with backoff and before Binance's 24 h limit.
/// </summary>
public sealed class BinanceMarketData : IMarketData, IAsyncDisposable, IDisposable
{
    private readonly BinanceMarketDataOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IObservable<TradeEvent>> _trades = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposing = new();

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
    }

    /// <inheritdoc />
    public IObservable<TradeEvent> MarketTrades(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return _trades.GetOrAdd(symbol, s => Observable.Create<TradeEvent>((observer, ct) => RunTradeStreamAsync(s, observer, ct)).Publish().RefCount());
    }

    /// <summary>Closes the streams.</summary>
    public async ValueTask DisposeAsync()
    {
        // Cancelled, not disposed: stream loops still starting may read its token.
        await _disposing.CancelAsync();
    }

    /// <summary>Closes the streams (for containers disposed synchronously).</summary>
    public void Dispose() => _disposing.Cancel();

    private Task RunTradeStreamAsync(string symbol, IObserver<TradeEvent> observer, CancellationToken cancellationToken)
    {
        var url = new Uri(_options.Streams, "/ws/" + symbol.ToLowerInvariant() + "@trade");
        var socket = new BinanceSocket($"{symbol} trade", url, _options.ReconnectEvery, _time, _logger);
        return socket.RunAsync(onConnected: null, message =>
        {
            var root = message.RootElement;
            var data = root.TryGetProperty("data", out var d) ? d : root;
            if (data.TryGetProperty("e", out var e) && e.GetString() == "trade")
            {
                observer.OnNext(BinanceJson.Trade(data, symbol));
            }

            return Task.CompletedTask;
        }, cancellationToken, _disposing.Token);
    }
}

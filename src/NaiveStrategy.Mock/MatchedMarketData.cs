using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace NaiveStrategy.Mock;

/// <summary>
/// Market data from another source (e.g. Binance's public streams) passed through the in-memory
/// exchange first: each trade matches the exchange's resting orders before the engine sees it, as in
/// a backtest. This is paper trading: real prices, simulated fills, no keys.
/// </summary>
public sealed class MatchedMarketData : IMarketData
{
    private readonly IMarketData _source;
    private readonly InMemoryExchange _exchange;

    /// <summary>Passes <paramref name="source"/>'s trades through <paramref name="exchange"/>.</summary>
    public MatchedMarketData(IMarketData source, InMemoryExchange exchange)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _exchange = exchange ?? throw new ArgumentNullException(nameof(exchange));
    }

    /// <inheritdoc />
    public IObservable<TradeEvent> MarketTrades(string symbol) => Observable.Create<TradeEvent>(observer =>
    {
        var matched = _exchange.MarketTrades(symbol).Subscribe(observer);
        var feed = _source.MarketTrades(symbol).Subscribe(trade => _exchange.PublishTrade(trade), observer.OnError, observer.OnCompleted);
        return new CompositeDisposable(feed, matched);
    });
}

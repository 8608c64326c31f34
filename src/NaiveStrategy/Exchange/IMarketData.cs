namespace NaiveStrategy;

/// <summary>
/// Public market data: the trades of a symbol as they happen. Apart from <see cref="IExchange"/> so that
/// one source can feed another's execution: paper trading is Binance market data with in-memory
/// execution (no keys at all), a backtest is file market data with in-memory execution.
/// </summary>
public interface IMarketData
{
    /// <summary>
    /// Public trades of a symbol, as they happen. A stream that ends or fails is subscribed again by the
    /// engine, with backoff.
    /// </summary>
    IObservable<TradeEvent> MarketTrades(string symbol);
}

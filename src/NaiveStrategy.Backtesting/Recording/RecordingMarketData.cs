using System.Reactive.Linq;

namespace NaiveStrategy.Backtesting.Recording;

/// <summary>The engine's market data with every trade it receives handed to a <see cref="TradeRecorder"/> on the way.</summary>
/// <param name="inner">The market data the engine would use.</param>
/// <param name="recorder">The recorder.</param>
internal sealed class RecordingMarketData(IMarketData inner, TradeRecorder recorder) : IMarketData
{
    public IObservable<TradeEvent> MarketTrades(string symbol) =>
        inner.MarketTrades(symbol).Do(trade => recorder.Record(trade));
}

namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>One file's trades, read one at a time (a CSV stream or a catalog part).</summary>
internal interface ITradeStream : IDisposable
{
    bool TryRead(out TradeEvent trade);
}

namespace NaiveStrategy;

/// <summary>A public market trade (Binance's <c>trade</c> event, or one line of a public-data trades file).</summary>
/// <param name="Symbol">Upper-case symbol, e.g. <c>XRPUSDT</c>.</param>
/// <param name="TradeId">Exchange trade id.</param>
/// <param name="Price">Trade price.</param>
/// <param name="Quantity">Traded base quantity.</param>
/// <param name="Time">Trade time.</param>
/// <param name="IsBuyerMaker">True when the buyer was the maker (the trade hit a resting bid).</param>
public readonly record struct TradeEvent(
    string Symbol,
    long TradeId,
    decimal Price,
    decimal Quantity,
    DateTimeOffset Time,
    bool IsBuyerMaker = false);

using System.Globalization;

namespace NaiveStrategy.Backtesting;

/// <summary>
/// A trade made the backtest's decimal arithmetic overflow (values too far apart for one run, e.g. a
/// position bought at a tiny price marked at a huge one). The message names the trade.
/// </summary>
public sealed class BacktestOverflowException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public BacktestOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static BacktestOverflowException At(in TradeEvent trade, OverflowException ex) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{trade.Symbol} trade {trade.TradeId} at {trade.Time:yyyy-MM-dd HH:mm:ss.ffffff} (price {trade.Price}, quantity {trade.Quantity}) overflows the backtest's decimal arithmetic; the prices, quantities and budget are too far apart for one run"), ex);
}

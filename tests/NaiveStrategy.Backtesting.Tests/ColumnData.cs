using NaiveStrategy.Backtesting.Catalog;

namespace NaiveStrategy.Backtesting.Tests;

internal static class ColumnData
{
    /// <summary>One symbol's trades as a catalog row group holds them: amounts scaled by 10^8, times in microseconds.</summary>
    public static TradeColumns Columns(ReadOnlySpan<TradeEvent> trades)
    {
        var columns = new TradeColumns { Symbol = trades.IsEmpty ? "XRPUSDT" : trades[0].Symbol, PriceScale = 8, QuantityScale = 8, Count = trades.Length };
        columns.Ensure(trades.Length);
        for (var i = 0; i < trades.Length; i++)
        {
            var t = trades[i];
            columns.Ids[i] = t.TradeId;
            columns.Prices[i] = (long)(t.Price * 100_000_000m);
            columns.Quantities[i] = (long)(t.Quantity * 100_000_000m);
            columns.Times[i] = (t.Time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
            columns.Makers[i] = t.IsBuyerMaker;
        }

        return columns;
    }

    /// <summary>The trades the columns give back (prices and quantities without trailing zeros, as a catalog replays them).</summary>
    public static TradeEvent[] Trades(TradeColumns columns) => columns.ToTrades();
}

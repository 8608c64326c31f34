using System.Buffers;
using System.Runtime.CompilerServices;

namespace NaiveStrategy.Backtesting.Catalog;

/// <summary>
/// One row group of a catalog part as its raw columns: trade ids, prices and quantities as the scaled integers stored,
/// times in microseconds since the epoch, the maker flags. A trade is built from them only when asked for
/// (<see cref="this[int]"/>), so an index over them (<see cref="TradeIndex"/>) costs no decimal per trade. The arrays
/// are pooled: <see cref="Dispose"/> returns them.
/// </summary>
internal sealed class TradeColumns : IDisposable
{
    public string Symbol { get; set; } = "";

    public int PriceScale { get; set; }

    public int QuantityScale { get; set; }

    public int Count { get; set; }

    public long[] Ids { get; private set; } = [];

    public long[] Prices { get; private set; } = [];

    public long[] Quantities { get; private set; } = [];

    public long[] Times { get; private set; } = [];

    public bool[] Makers { get; private set; } = [];

    /// <summary>The trade at <paramref name="i"/>.</summary>
    public TradeEvent this[int i] => At(i, Price(i));

    /// <summary>The trade at <paramref name="i"/> with its price already made (<see cref="Price"/>; a reader reuses it while it repeats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TradeEvent At(int i, decimal price) =>
        new(Symbol, Ids[i], price, TradeCatalog.ToDecimal(Quantities[i], QuantityScale), new DateTimeOffset(Ticks(Times[i]), TimeSpan.Zero), Makers[i]);

    /// <summary>Every trade, built.</summary>
    public TradeEvent[] ToTrades()
    {
        var trades = new TradeEvent[Count];
        for (var i = 0; i < trades.Length; i++)
        {
            trades[i] = this[i];
        }

        return trades;
    }

    /// <summary>The price at <paramref name="i"/> as a decimal.</summary>
    public decimal Price(int i) => TradeCatalog.ToDecimal(Prices[i], PriceScale);

    /// <summary>UTC ticks of a stored time (microseconds since the epoch; a tick is 0.1 µs).</summary>
    public static long Ticks(long micros) => TradeCatalog.EpochTicks + (micros * 10);

    /// <summary>Room for <paramref name="rows"/> rows (the content is not kept when the arrays grow).</summary>
    public void Ensure(int rows)
    {
        if (rows <= Ids.Length)
        {
            return;
        }

        Return();
        Ids = ArrayPool<long>.Shared.Rent(rows);
        Prices = ArrayPool<long>.Shared.Rent(rows);
        Quantities = ArrayPool<long>.Shared.Rent(rows);
        Times = ArrayPool<long>.Shared.Rent(rows);
        Makers = ArrayPool<bool>.Shared.Rent(rows);
    }

    /// <summary>
    /// Keeps the rows whose time is in [<paramref name="fromTicks"/>, <paramref name="toTicks"/>), in order (a
    /// <c>--from</c>/<c>--to</c> range as the trade reader applies it).
    /// </summary>
    public void Keep(long fromTicks, long toTicks)
    {
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            var ticks = Ticks(Times[i]);
            if (ticks < fromTicks || ticks >= toTicks)
            {
                continue;
            }

            if (kept != i)
            {
                (Ids[kept], Prices[kept], Quantities[kept], Times[kept], Makers[kept]) = (Ids[i], Prices[i], Quantities[i], Times[i], Makers[i]);
            }

            kept++;
        }

        Count = kept;
    }

    public void Dispose() => Return();

    private void Return()
    {
        if (Ids.Length > 0)
        {
            ArrayPool<long>.Shared.Return(Ids);
            ArrayPool<long>.Shared.Return(Prices);
            ArrayPool<long>.Shared.Return(Quantities);
            ArrayPool<long>.Shared.Return(Times);
            ArrayPool<bool>.Shared.Return(Makers);
            (Ids, Prices, Quantities, Times, Makers) = ([], [], [], [], []);
        }
    }
}

using System.Numerics;
using NaiveStrategy.Backtesting.Catalog;

namespace NaiveStrategy.Backtesting;

/// <summary>
/// An index over a run of market trades, built once and shared read-only by every session replaying them
/// (<see cref="BacktestSession.Replay(TradeIndex)"/>): it answers "the first trade from <c>i</c> whose price
/// leaves [low, high], whose time reaches <c>t</c>, or whose symbol is another" in O(log n), so a session can
/// jump over the trades its strategy and exchange would handle as no-ops. Nodes of 32 trades keep their
/// lowest and highest price, latest time and symbol (null when mixed), and the <see cref="PriceSpan{T}"/> of their
/// trades (largest drop and rise with their positions) so a session marks equity over a jump without visiting it,
/// with a tree of 32-way nodes over them: 136 bytes per 32 trades, about 1/16 of the trades' memory. An index over a
/// catalog's columns (<see cref="TradePipe.RunIndexed"/>) builds a trade only where a session looks at it.
/// </summary>
public sealed class TradeIndex
{
    private const int Shift = 5;
    private const int Fanout = 1 << Shift;

    // A catalog's columns: the leaves are folded on the scaled integers when the prices are this far from long's limits
    // (a price plus a rise never overflows), else the index is built from the trades.
    private const long ColumnPriceLimit = long.MaxValue / 4;

    // Level k (from 1) summarizes Fanout^k trades per node.
    private readonly Level<decimal>[] _levels;

    // One of the two: the trades, or a catalog row group's columns.
    private readonly ReadOnlyMemory<TradeEvent> _trades;
    private readonly TradeColumns? _columns;
    private TradeEvent[]? _built;

    /// <summary>Indexes <paramref name="trades"/>; they must not change while the index is used.</summary>
    public TradeIndex(ReadOnlyMemory<TradeEvent> trades)
    {
        _trades = trades;
        var span = trades.Span;
        var leaves = new Level<decimal>((span.Length + Fanout - 1) >> Shift);
        PriceBound = Bound(span);
        Leaves(span, leaves, PriceBound is not null);
        _levels = Build(leaves, PriceBound is not null);
    }

    // Indexes a catalog row group's columns without building a trade per row: prices compared as the scaled integers
    // stored. The columns must not change while the index is used.
    private TradeIndex(TradeColumns columns, long largest)
    {
        _columns = columns;
        var leaves = new Level<long>((columns.Count + Fanout - 1) >> Shift);

        // Every price has at most the columns' scale: a bound at that scale is at least as precise as the finest price.
        PriceBound = Bound(TradeCatalog.ToDecimal(largest, columns.PriceScale), columns.PriceScale);
        Leaves(columns, leaves, PriceBound is not null);

        // Built on the integers (a decimal merge costs ten times more), then made decimals for the searches.
        var scale = (byte)columns.PriceScale;
        _levels = [.. Build(leaves, PriceBound is not null).Select(level => Decimals(level, scale))];
    }

    /// <summary>The trades indexed (over a catalog's columns, built on first use).</summary>
    public ReadOnlyMemory<TradeEvent> Trades => _columns is null ? _trades : _built ??= _columns.ToTrades();

    /// <summary>The number of trades indexed.</summary>
    public int Count => _columns?.Count ?? _trades.Length;

    /// <summary>
    /// A decimal at least as large as every price's magnitude, written with at least as many decimals as the most precise
    /// price (so a product or sum that fits with it fits, exactly, with any price); null when none such exists or when two
    /// prices' difference could be rounded — then the index's <see cref="PriceSpan{T}"/>s are not used to mark equity.
    /// </summary>
    internal decimal? PriceBound { get; }

    /// <summary>An index over a catalog row group's columns; over the trades built from them when its prices are out of the integers' safe range.</summary>
    internal static TradeIndex Of(TradeColumns columns)
    {
        var (largest, negative) = (0L, false);
        foreach (var price in columns.Prices.AsSpan(0, columns.Count))
        {
            largest = Math.Max(largest, price);
            negative |= price < 0;
        }

        return largest <= ColumnPriceLimit && !negative
            ? new TradeIndex(columns, largest)
            : new TradeIndex(columns.ToTrades());
    }

    /// <summary>The trade at <paramref name="i"/>.</summary>
    internal TradeEvent TradeAt(int i) => _columns is { } columns ? columns[i] : _trades.Span[i];

    /// <summary>The price of the trade at <paramref name="i"/>.</summary>
    internal decimal PriceAt(int i) => _columns is { } columns ? columns.Price(i) : _trades.Span[i].Price;

    /// <summary>The <see cref="PriceSpan{T}"/> of the trades in [<paramref name="from"/>, <paramref name="to"/>), from the fewest nodes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or not within the index.</exception>
    internal PriceSpan<decimal> Summarize(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, to);
        var n = Count;
        var result = default(PriceSpanBuilder<decimal>);
        var pos = from;
        while (pos < to)
        {
            // The largest node starting here and ending within the range (the last node of a level may be short).
            var level = 0;
            while (level < _levels.Length && (pos & ((1 << (Shift * (level + 1))) - 1)) == 0
                && Math.Min(n, pos + (1 << (Shift * (level + 1)))) <= to)
            {
                level++;
            }

            if (level == 0)
            {
                result.Add(PriceAt(pos), pos);
                pos++;
            }
            else
            {
                result.Add(_levels[level - 1].Prices[pos >> (Shift * level)]);
                pos = Math.Min(n, pos + (1 << (Shift * level)));
            }
        }

        return result.Build();
    }

    /// <summary>
    /// The index of the first trade at or after <paramref name="start"/> that is not of <paramref name="symbol"/>,
    /// or whose price is below <paramref name="low"/> or above <paramref name="high"/>, or whose time is at or after
    /// <paramref name="untilTicks"/> (UTC ticks); <see cref="Count"/> when there is none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is outside [0, <see cref="Count"/>].</exception>
    public int FindExit(int start, string symbol, decimal low, decimal high, long untilTicks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, Count);
        var n = Count;
        var trades = _trades.Span;
        var columns = _columns;

        // Over columns, the trades' own test is on the stored integers: the same answers as on the decimals.
        var (lowest, highest, untilMicros) = columns is null ? (0L, 0L, 0L) : Integers(columns.PriceScale, low, high, untilTicks);
        var pos = start;
        var level = 0;
        while (pos < n)
        {
            if (level == 0)
            {
                if (columns is not null)
                {
                    var price = columns.Prices[pos];
                    if (price < lowest || price > highest || columns.Times[pos] >= untilMicros || !SameSymbol(columns.Symbol, symbol))
                    {
                        return pos;
                    }
                }
                else
                {
                    ref readonly var trade = ref trades[pos];
                    if (trade.Price < low || trade.Price > high || trade.Time.UtcTicks >= untilTicks || !SameSymbol(trade.Symbol, symbol))
                    {
                        return pos;
                    }
                }

                pos++;
            }
            else
            {
                var nodes = _levels[level - 1];
                var node = pos >> (Shift * level);
                var s = nodes.Symbol[node];
                if (nodes.Low[node] < low || nodes.High[node] > high || nodes.Latest[node] >= untilTicks || s is null || !SameSymbol(s, symbol))
                {
                    // Something in this node exits: look at its children from the first.
                    level--;
                    continue;
                }

                pos += 1 << (Shift * level);
            }

            // Aligned on a larger node's start: test that node whole.
            while (level < _levels.Length && pos < n && (pos & ((1 << (Shift * (level + 1))) - 1)) == 0)
            {
                level++;
            }
        }

        return n;
    }

    private static bool SameSymbol(string a, string b) => ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.Ordinal);

    // The stored integers' bounds equivalent to [low, high] and a time limit: a price m (scaled by 10^scale) is below low
    // exactly when m < ⌈low·10^scale⌉, above high when m > ⌊high·10^scale⌋; a time t µs reaches untilTicks when
    // t ≥ ⌈(untilTicks − epoch) / 10⌉. Found with exact decimal comparisons (a product could round).
    private static (long Lowest, long Highest, long UntilMicros) Integers(int scale, decimal low, decimal high, long untilTicks)
    {
        var lowest = Ceiling(low, scale);
        var highest = Floor(high, scale);
        var after = (Int128)untilTicks - TradeCatalog.EpochTicks;
        var untilMicros = (after / 10) + (after > 0 && after % 10 != 0 ? 1 : 0);
        return (lowest, highest, (long)Int128.Clamp(untilMicros, long.MinValue, long.MaxValue));
    }

    // The largest m with m·10^-scale ≤ value (long's limits when out of range).
    private static long Floor(decimal value, int scale)
    {
        var unit = TradeCatalog.ToDecimal(1, scale);
        if (value >= TradeCatalog.ToDecimal(long.MaxValue, scale))
        {
            return long.MaxValue;
        }

        if (value < -TradeCatalog.ToDecimal(long.MaxValue, scale))
        {
            return long.MinValue;
        }

        var m = (long)decimal.Floor(value / unit);
        while (m > long.MinValue && Scaled(m, scale) > value)
        {
            m--;
        }

        while (m < long.MaxValue && Scaled(m + 1, scale) <= value)
        {
            m++;
        }

        return m;
    }

    // The smallest m with m·10^-scale ≥ value.
    private static long Ceiling(decimal value, int scale)
    {
        var floor = Floor(value, scale);
        return floor == long.MaxValue || floor == long.MinValue || Scaled(floor, scale) == value ? floor : floor + 1;
    }

    private static decimal Scaled(long m, int scale) => m < 0 ? -TradeCatalog.ToDecimal(-m, scale) : TradeCatalog.ToDecimal(m, scale);

    // The levels above the leaves, each summarizing 32 nodes of the one below, up to a single node.
    private static Level<T>[] Build<T>(Level<T> leaves, bool spans)
        where T : struct, INumber<T>
    {
        var levels = new List<Level<T>> { leaves };
        var count = leaves.Low.Length;
        var below = leaves;
        while (count > 1)
        {
            var nodes = (count + Fanout - 1) >> Shift;
            var level = new Level<T>(nodes);
            for (var n = 0; n < nodes; n++)
            {
                var (from, to) = (n << Shift, Math.Min(count, (n + 1) << Shift));
                var (low, high, latest) = (below.Low[from], below.High[from], below.Latest[from]);
                var symbol = below.Symbol[from];
                var mixed = symbol is null;
                var prices = below.Prices[from];
                for (var i = from + 1; i < to; i++)
                {
                    var s = below.Symbol[i];
                    mixed |= s is null || !SameSymbol(s, symbol!);
                    prices = spans ? PriceSpan.Merge(prices, below.Prices[i]) : prices;
                    low = T.Min(low, below.Low[i]);
                    high = T.Max(high, below.High[i]);
                    latest = Math.Max(latest, below.Latest[i]);
                }

                (level.Low[n], level.High[n], level.Latest[n], level.Symbol[n], level.Prices[n]) = (low, high, latest, mixed ? null : symbol, prices);
            }

            levels.Add(level);
            below = level;
            count = nodes;
        }

        return [.. levels];
    }

    // The nodes over the trades themselves, in one pass per node without building a PriceSpan per trade (the index's
    // build cost is mostly here). Without a PriceBound the PriceSpans are not kept (their arithmetic could overflow,
    // and nothing reads them).
    private static void Leaves(ReadOnlySpan<TradeEvent> trades, Level<decimal> level, bool spans)
    {
        for (var n = 0; n < level.Low.Length; n++)
        {
            var (from, to) = (n << Shift, Math.Min(trades.Length, (n + 1) << Shift));
            ref readonly var first = ref trades[from];
            var (min, max, latest, symbol, mixed) = (first.Price, first.Price, first.Time.UtcTicks, first.Symbol, false);
            var prices = default(PriceSpanBuilder<decimal>);
            for (var i = from; i < to; i++)
            {
                ref readonly var trade = ref trades[i];
                var price = trade.Price;
                latest = Math.Max(latest, trade.Time.UtcTicks);
                mixed |= !SameSymbol(trade.Symbol, symbol);
                (min, max) = (Math.Min(min, price), Math.Max(max, price));
                if (spans)
                {
                    prices.Add(price, i);
                }
            }

            (level.Low[n], level.High[n], level.Latest[n], level.Symbol[n]) = (min, max, latest, mixed ? null : symbol);
            level.Prices[n] = prices.Build();
        }
    }

    // The same nodes from a catalog's columns, on the stored integers (one symbol; times in ticks).
    private static void Leaves(TradeColumns columns, Level<long> level, bool spans)
    {
        var (prices, times) = (columns.Prices, columns.Times);
        for (var n = 0; n < level.Low.Length; n++)
        {
            var (from, to) = (n << Shift, Math.Min(columns.Count, (n + 1) << Shift));
            var (min, max, latest) = (prices[from], prices[from], times[from]);
            var span = default(PriceSpanBuilder<long>);
            for (var i = from; i < to; i++)
            {
                var price = prices[i];
                latest = Math.Max(latest, times[i]);
                (min, max) = (Math.Min(min, price), Math.Max(max, price));
                if (spans)
                {
                    span.Add(price, i);
                }
            }

            (level.Low[n], level.High[n], level.Latest[n], level.Symbol[n]) = (min, max, TradeColumns.Ticks(latest), columns.Symbol);
            level.Prices[n] = span.Build();
        }
    }

    // A level of a catalog's columns made decimals at their scale. A node's prices need their value only (compared, never
    // shown: a trade's own price is built by TradeAt/PriceAt), so trailing zeros are kept. Non-negative only.
    private static Level<decimal> Decimals(Level<long> integers, byte scale)
    {
        var level = new Level<decimal>(integers.Low.Length);
        for (var n = 0; n < integers.Low.Length; n++)
        {
            ref readonly var s = ref integers.Prices[n];
            (level.Low[n], level.High[n], level.Latest[n], level.Symbol[n]) = (Raw(integers.Low[n], scale), Raw(integers.High[n], scale), integers.Latest[n], integers.Symbol[n]);
            level.Prices[n] = new(Raw(s.Min, scale), s.MinAt, Raw(s.Max, scale), s.MaxAt, Raw(s.Drop, scale), s.DropFrom, s.DropAt, Raw(s.Rise, scale), s.RiseFrom, s.RiseAt);
        }

        return level;
    }

    private static decimal Raw(long mantissa, byte scale) => new((int)(uint)mantissa, (int)(uint)((ulong)mantissa >> 32), 0, false, scale);

    // The largest price magnitude at the finest scale of any price, if it and twice it (any two prices' difference)
    // fit a decimal at that scale.
    private static decimal? Bound(ReadOnlySpan<TradeEvent> trades)
    {
        var (largest, scale) = (0m, 0);
        foreach (ref readonly var trade in trades)
        {
            largest = Math.Max(largest, Math.Abs(trade.Price));
            scale = Math.Max(scale, trade.Price.Scale);
        }

        return Bound(largest, scale);
    }

    private static decimal? Bound(decimal largest, int scale)
    {
        try
        {
            var bound = largest + new decimal(0, 0, 0, false, (byte)scale);
            return bound.Scale == scale && (bound + bound).Scale == scale ? bound : null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private sealed class Level<T>(int nodes)
        where T : struct, INumber<T>
    {
        public PriceSpan<T>[] Prices { get; } = new PriceSpan<T>[nodes];

        public T[] Low { get; } = new T[nodes];

        public T[] High { get; } = new T[nodes];

        public long[] Latest { get; } = new long[nodes];

        public string?[] Symbol { get; } = new string?[nodes];
    }
}

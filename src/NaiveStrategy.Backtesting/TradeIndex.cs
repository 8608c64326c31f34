namespace NaiveStrategy.Backtesting;

/// <summary>
/// An index over a run of market trades, built once and shared read-only by every session replaying them
/// (<see cref="BacktestSession.Replay(TradeIndex)"/>): it answers "the first trade from <c>i</c> whose price
/// leaves [low, high], whose time reaches <c>t</c>, or whose symbol is another" in O(log n), so a session can
/// jump over the trades its strategy and exchange would handle as no-ops. Nodes of 32 trades keep their
/// lowest and highest price, latest time and symbol (null when mixed), and the <see cref="PriceSpan"/> of their
/// trades (largest drop and rise with their positions) so a session marks equity over a jump without visiting it,
/// with a tree of 32-way nodes over them: 136 bytes per 32 trades, about 1/16 of the trades' memory.
/// </summary>
public sealed class TradeIndex
{
    private const int Shift = 5;
    private const int Fanout = 1 << Shift;

    // Level k (from 1) summarizes Fanout^k trades per node.
    private readonly Level[] _levels;

    /// <summary>Indexes <paramref name="trades"/>; they must not change while the index is used.</summary>
    public TradeIndex(ReadOnlyMemory<TradeEvent> trades)
    {
        Trades = trades;
        var span = trades.Span;
        var leaves = new Level((span.Length + Fanout - 1) >> Shift);
        PriceBound = Bound(span);
        var spans = PriceBound is not null;
        Leaves(span, leaves, spans);
        var levels = new List<Level> { leaves };
        var count = leaves.Low.Length;
        var below = leaves;
        while (count > 1)
        {
            var nodes = (count + Fanout - 1) >> Shift;
            var level = new Level(nodes);
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
                    mixed |= s is null || (!ReferenceEquals(s, symbol) && !string.Equals(s, symbol, StringComparison.Ordinal));
                    prices = spans ? PriceSpan.Merge(prices, below.Prices[i]) : prices;
                    low = Math.Min(low, below.Low[i]);
                    high = Math.Max(high, below.High[i]);
                    latest = Math.Max(latest, below.Latest[i]);
                }

                (level.Low[n], level.High[n], level.Latest[n], level.Symbol[n], level.Prices[n]) = (low, high, latest, mixed ? null : symbol, prices);
            }

            levels.Add(level);
            below = level;
            count = nodes;
        }

        _levels = [.. levels];
    }

    /// <summary>The trades indexed.</summary>
    public ReadOnlyMemory<TradeEvent> Trades { get; }

    /// <summary>The number of trades indexed.</summary>
    public int Count => Trades.Length;

    /// <summary>
    /// A decimal at least as large as every price's magnitude, written with as many decimals as the most precise price
    /// (so a product or sum that fits with it fits, exactly, with any price); null when none such exists or when two
    /// prices' difference could be rounded — then the index's <see cref="PriceSpan"/>s are not used to mark equity.
    /// </summary>
    internal decimal? PriceBound { get; }

    /// <summary>The <see cref="PriceSpan"/> of the trades in [<paramref name="from"/>, <paramref name="to"/>), from the fewest nodes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or not within the index.</exception>
    internal PriceSpan Summarize(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, to);
        var span = Trades.Span;
        var n = span.Length;
        var result = default(PriceSpanBuilder);
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
                result.Add(span[pos].Price, pos);
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
        var span = Trades.Span;
        var n = span.Length;
        var pos = start;
        var level = 0;
        while (pos < n)
        {
            if (level == 0)
            {
                ref readonly var trade = ref span[pos];
                if (trade.Price < low || trade.Price > high || trade.Time.UtcTicks >= untilTicks
                    || (!ReferenceEquals(trade.Symbol, symbol) && !string.Equals(trade.Symbol, symbol, StringComparison.Ordinal)))
                {
                    return pos;
                }

                pos++;
            }
            else
            {
                var nodes = _levels[level - 1];
                var node = pos >> (Shift * level);
                var s = nodes.Symbol[node];
                if (nodes.Low[node] < low || nodes.High[node] > high || nodes.Latest[node] >= untilTicks
                    || s is null || (!ReferenceEquals(s, symbol) && !string.Equals(s, symbol, StringComparison.Ordinal)))
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

    // The nodes over the trades themselves, in one pass per node without building a PriceSpan per trade (the index's
    // build cost is mostly here). Without a PriceBound the PriceSpans are not kept (their arithmetic could overflow,
    // and nothing reads them).
    private static void Leaves(ReadOnlySpan<TradeEvent> trades, Level level, bool spans)
    {
        for (var n = 0; n < level.Low.Length; n++)
        {
            var (from, to) = (n << Shift, Math.Min(trades.Length, (n + 1) << Shift));
            ref readonly var first = ref trades[from];
            var (min, max, latest, symbol, mixed) = (first.Price, first.Price, first.Time.UtcTicks, first.Symbol, false);
            var prices = default(PriceSpanBuilder);
            for (var i = from; i < to; i++)
            {
                ref readonly var trade = ref trades[i];
                var price = trade.Price;
                latest = Math.Max(latest, trade.Time.UtcTicks);
                mixed |= !ReferenceEquals(trade.Symbol, symbol) && !string.Equals(trade.Symbol, symbol, StringComparison.Ordinal);
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

    private sealed class Level(int nodes)
    {
        public PriceSpan[] Prices { get; } = new PriceSpan[nodes];

        public decimal[] Low { get; } = new decimal[nodes];

        public decimal[] High { get; } = new decimal[nodes];

        public long[] Latest { get; } = new long[nodes];

        public string?[] Symbol { get; } = new string?[nodes];
    }
}

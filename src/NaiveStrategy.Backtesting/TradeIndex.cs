namespace NaiveStrategy.Backtesting;

/// <summary>
/// An index over a run of market trades, built once and shared read-only by every session replaying them
/// (<see cref="BacktestSession.Replay(TradeIndex)"/>): it answers "the first trade from <c>i</c> whose price
/// leaves [low, high], whose time reaches <c>t</c>, or whose symbol is another" in O(log n), so a session can
/// jump over the trades its strategy and exchange would handle as no-ops. Nodes of 32 trades keep their
/// lowest and highest price, latest time and symbol (null when mixed), with a tree of 32-way nodes over them:
/// about 1/16 of the trades' memory.
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
        var levels = new List<Level>();
        var count = span.Length;
        Level? below = null;
        while (count > 1 || levels.Count == 0)
        {
            var nodes = (count + Fanout - 1) >> Shift;
            var level = new Level(nodes);
            for (var n = 0; n < nodes; n++)
            {
                var (from, to) = (n << Shift, Math.Min(count, (n + 1) << Shift));
                var (low, high, latest) = (decimal.MaxValue, decimal.MinValue, long.MinValue);
                string? symbol = null;
                var mixed = false;
                for (var i = from; i < to; i++)
                {
                    decimal l, h;
                    long t;
                    string? s;
                    if (below is null)
                    {
                        ref readonly var trade = ref span[i];
                        (l, h, t, s) = (trade.Price, trade.Price, trade.Time.UtcTicks, trade.Symbol);
                    }
                    else
                    {
                        (l, h, t, s) = (below.Low[i], below.High[i], below.Latest[i], below.Symbol[i]);
                        mixed |= s is null;
                    }

                    low = Math.Min(low, l);
                    high = Math.Max(high, h);
                    latest = Math.Max(latest, t);
                    if (i == from)
                    {
                        symbol = s;
                    }
                    else if (!ReferenceEquals(s, symbol) && !string.Equals(s, symbol, StringComparison.Ordinal))
                    {
                        mixed = true;
                    }
                }

                (level.Low[n], level.High[n], level.Latest[n], level.Symbol[n]) = (low, high, latest, mixed ? null : symbol);
            }

            levels.Add(level);
            below = level;
            count = nodes;
            if (nodes <= 1)
            {
                break;
            }
        }

        _levels = [.. levels];
    }

    /// <summary>The trades indexed.</summary>
    public ReadOnlyMemory<TradeEvent> Trades { get; }

    /// <summary>The number of trades indexed.</summary>
    public int Count => Trades.Length;

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

    private sealed class Level(int nodes)
    {
        public decimal[] Low { get; } = new decimal[nodes];

        public decimal[] High { get; } = new decimal[nodes];

        public long[] Latest { get; } = new long[nodes];

        public string?[] Symbol { get; } = new string?[nodes];
    }
}

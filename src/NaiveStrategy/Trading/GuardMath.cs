using System.Collections.Immutable;

namespace NaiveStrategy;

/// <summary>
/// The prices at which a symbol's risk guards act, for the quiet band (<see cref="LeaderState.Band"/>): a trade above
/// <see cref="Floor"/>, below <see cref="Ceiling"/> and before <see cref="ResetAt"/> fires no guard and moves neither
/// the peak equity nor the market day. Conservative: the levels a division gives are widened by a hair, so a trade
/// called quiet surely changes nothing; a trade near a level goes through the exact check.
/// </summary>
/// <param name="Active">False when no guard watches (none set, or one already fired): the band says nothing.</param>
/// <param name="Floor">A trade at or below it may fire a guard (stop loss, drawdown, daily loss).</param>
/// <param name="Ceiling">A trade at or above it may fire the take profit or raise the peak equity.</param>
/// <param name="ResetAt">A trade at or after it starts a new market day for the daily loss.</param>
internal readonly record struct GuardBand(bool Active, decimal Floor, decimal Ceiling, DateTimeOffset ResetAt)
{
    public static GuardBand Open { get; } = new(false, decimal.MinValue, decimal.MaxValue, DateTimeOffset.MaxValue);

    public bool IsQuiet(in TradeEvent trade) => !Active || (trade.Price > Floor && trade.Price < Ceiling && trade.Time < ResetAt);
}

/// <summary>The symbol's equity as a line in the market price, and the guard levels on it.</summary>
internal static class GuardMath
{
    /// <summary>
    /// The least decimal above <paramref name="value"/>: one unit at the finest scale a decimal of its size has. A
    /// price above <paramref name="value"/> is at or above it, so an open bound becomes an inclusive one.
    /// </summary>
    public static decimal Above(decimal value)
    {
        for (byte scale = 28; scale > 0; scale--)
        {
            // A unit finer than the value can hold rounds away; the first that does not is the value's finest.
            var next = value + new decimal(1, 0, 0, false, scale);
            if (next > value)
            {
                return next;
            }
        }

        return value + 1m;
    }

    /// <summary>The greatest decimal below <paramref name="value"/> (see <see cref="Above"/>).</summary>
    public static decimal Below(decimal value) => -Above(-value);

    /// <summary>
    /// The symbol's equity at price p is <c>Cash + Base × p</c>: the budget plus the realized PnL less what the
    /// running traders spent net of what they sold (fees in the quote included), and the base they and the
    /// symbol's dust hold.
    /// </summary>
    public static (decimal Cash, decimal Base) Line(SymbolSettings settings, ImmutableArray<TraderState> traders, decimal dust, decimal realizedPnl)
    {
        var cash = settings.Budget + realizedPnl;
        var held = dust;
        foreach (var t in traders)
        {
            if (t.Outcome is not null || t.BuyOrder is not { } buy)
            {
                continue;
            }

            var quote = t.Filters.QuoteAsset;
            cash -= (buy.ExecutedQuantity * buy.Price) + (string.Equals(buy.CommissionAsset, quote, StringComparison.Ordinal) ? buy.Commission : 0m);
            if (t.SellOrder is { } sell)
            {
                cash += (sell.ExecutedQuantity * sell.Price) - (string.Equals(sell.CommissionAsset, quote, StringComparison.Ordinal) ? sell.Commission : 0m);
            }

            held += Trader.HeldQuantity(t);
        }

        return (cash, held);
    }

    /// <summary>The symbol's equity at <paramref name="price"/>.</summary>
    public static decimal Equity(LeaderState state, decimal price)
    {
        var (cash, held) = Line(state.Settings, state.Traders, state.Dust, state.RealizedPnl);
        return cash + (held * price);
    }

    /// <summary>The band of a state; <see cref="GuardBand.Open"/> while no guard watches.</summary>
    public static GuardBand Band(SymbolSettings? settings, ImmutableArray<TraderState> traders, decimal dust, decimal realizedPnl, GuardState? guard)
    {
        if (settings is null || !settings.HasGuards || guard is null || guard.Fired is not null || traders.IsDefault)
        {
            return GuardBand.Open;
        }

        var floor = settings.StopLossPrice ?? decimal.MinValue;
        var ceiling = settings.TakeProfitPrice ?? decimal.MaxValue;
        var reset = DateTimeOffset.MaxValue;
        if (settings.MaxDrawdown is null && settings.MaxDailyLoss is null)
        {
            return new(true, floor, ceiling, reset);
        }

        var (cash, held) = Line(settings, traders, dust, realizedPnl);
        if (settings.MaxDrawdown is { } drawdown)
        {
            var peak = guard.PeakEquity;
            if (peak <= 0)
            {
                ceiling = decimal.MinValue; // the first trade sets the peak
            }
            else
            {
                floor = Math.Max(floor, LevelAtOrBelow(peak * (1 - drawdown), cash, held));
                ceiling = Math.Min(ceiling, LevelAbove(peak, cash, held));
            }
        }

        if (settings.MaxDailyLoss is { } loss)
        {
            if (guard.DayStart is not { } day)
            {
                ceiling = decimal.MinValue; // the first trade starts the day
            }
            else
            {
                floor = Math.Max(floor, LevelAtOrBelow(guard.DayStartEquity - loss, cash, held));
                reset = day.AddDays(1);
            }
        }

        return new(true, floor, ceiling, reset);
    }

    // The price at or under which cash + held × p <= target (MaxValue: at any price; MinValue: at none), widened up.
    private static decimal LevelAtOrBelow(decimal target, decimal cash, decimal held)
    {
        if (held <= 0)
        {
            return cash <= target || held < 0 ? decimal.MaxValue : decimal.MinValue;
        }

        try
        {
            var level = (target - cash) / held;
            return level + Hair(level);
        }
        catch (OverflowException)
        {
            return decimal.MaxValue;
        }
    }

    // The price over which cash + held × p > peak (MinValue: at any price; MaxValue: at none), widened down.
    private static decimal LevelAbove(decimal peak, decimal cash, decimal held)
    {
        if (held <= 0)
        {
            return cash > peak || held < 0 ? decimal.MinValue : decimal.MaxValue;
        }

        try
        {
            var level = (peak - cash) / held;
            return level - Hair(level);
        }
        catch (OverflowException)
        {
            return decimal.MinValue;
        }
    }

    private static decimal Hair(decimal level) => (Math.Abs(level) / 1_000_000_000_000m) + 0.000_000_000_001m;
}

namespace NaiveStrategy;

// The band of market trades that change nothing (read by a backtest to skip them): the same conditions as
// IsQuiet and Trader.OnTrade, stated as prices and a deadline.
internal sealed partial class Leader
{
    /// <summary>
    /// The trades that change nothing in <paramref name="state"/>: prices within the band and times before its deadline
    /// make <see cref="OnTrade"/> return the state unchanged. Null when the next trade may change something whatever
    /// its price (a trader waits for its first trade, or a custom trader reducer decides).
    /// </summary>
    public QuietBand? QuietBand(LeaderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status == SymbolStatus.Off)
        {
            return new QuietBand(decimal.MinValue, decimal.MaxValue, null);
        }

        if (_traderReducer is not null)
        {
            return null;
        }

        var band = state.QuietFrom is { } low ? new QuietBand(low, decimal.MaxValue, state.FundsCheckAt) : StaleBuyBand(state);
        return band is { } traders ? WithGuards(state, traders) : null;
    }

    // The guards' band is open at both ends (a trade at a level fires it): its inclusive bounds are the nearest
    // decimals inside it. Its market-day reset, like the funds check, is a deadline. A floor at the greatest decimal
    // or a ceiling at the least (a guard may act at any price) leaves no quiet price: null, and no nearest decimal
    // to ask for (there is none above decimal.MaxValue).
    private static QuietBand? WithGuards(LeaderState state, QuietBand band)
    {
        var (low, high) = (band.Low, band.High);
        if (state.Band is { Active: true } guards)
        {
            if (guards.Floor == decimal.MaxValue || guards.Ceiling == decimal.MinValue)
            {
                return null;
            }

            low = guards.Floor == decimal.MinValue ? low : Math.Max(low, GuardMath.Above(guards.Floor));
            high = guards.Ceiling == decimal.MaxValue ? high : Math.Min(high, GuardMath.Below(guards.Ceiling));
        }

        var until = (band.Until, state.NextDeadline) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            var (a, b) => a ?? b,
        };
        return new QuietBand(low, high, until);
    }

    // Some trader's open BUY is watched by a stale-BUY rule (QuietFrom gives up on those): it stays quiet below the
    // distance rule's price and before the wait rule's time (and the cancel retry's, when a cancel was asked).
    private static QuietBand? StaleBuyBand(LeaderState state)
    {
        var (low, high, until) = (decimal.MinValue, decimal.MaxValue, state.FundsCheckAt);
        foreach (var t in state.Traders)
        {
            if (t.Outcome is not null)
            {
                continue;
            }

            if (t.BuyOrder is null)
            {
                return null;
            }

            if (!t.RebuyNotified && t.RebuyPrice > low)
            {
                low = t.RebuyPrice;
            }

            if (!t.Settings.RepricesStaleBuys || t.BuyOrder is not { IsOpen: true } buy || buy.Status == OrderStatus.PendingNew || t.SellOrder is not null)
            {
                continue;
            }

            if (t.Settings.MaxBuyWait is { } wait && t.BuyPlacedAt is { } placedAt)
            {
                var due = placedAt + wait;
                if (t.BuyCancelRequestedAt is { } asked && asked + Trader.CancelRetryAfter > due)
                {
                    due = asked + Trader.CancelRetryAfter;
                }

                until = until is { } u && u < due ? u : due;
            }

            if (t.Settings.MaxBuyDistance is { } distance && t.BuyPlacedMarketPrice > 0)
            {
                // Stale from this price up (included): the band ends a hair below it.
                var stale = t.BuyPlacedMarketPrice * (1 + distance);
                var below = stale - Math.Max(Math.Abs(stale) * 0.00000000000000000001m, 0.0000000000000000000000001m);
                if (below >= stale)
                {
                    return null;
                }

                high = Math.Min(high, below);
            }
        }

        return new QuietBand(low, high, until);
    }
}

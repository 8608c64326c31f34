namespace NaiveStrategy;

/// <summary>The strategy's arithmetic, all in <see cref="decimal"/> (see docs/strategy.md, "Math").</summary>
internal static class TradingMath
{
    /// <summary>The largest multiple of <paramref name="step"/> that is ≤ <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is not positive.</exception>
    public static decimal FloorTo(decimal step, decimal value)
    {
        if (step <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be > 0.");
        }

        var floored = decimal.Floor(value / step) * step;

        // value / step can round up in the 29th digit; never return more than value.
        return floored > value ? floored - step : floored;
    }

    /// <summary><c>floor_to(tick, price − price × buyDownInterval)</c>.</summary>
    public static decimal BuyPrice(decimal price, decimal buyDownInterval, decimal tickSize) =>
        FloorTo(tickSize, price - (price * buyDownInterval));

    /// <summary><c>floor_to(step, budget / buyPrice)</c>.</summary>
    public static decimal Quantity(decimal budget, decimal buyPrice, decimal stepSize) =>
        FloorTo(stepSize, budget / buyPrice);

    /// <summary><c>floor_to(tick, buyPrice × (1 + fee) × (1 + profitInterval) × (1 + fee))</c>.</summary>
    public static decimal SellPrice(decimal buyPrice, decimal profitInterval, decimal feeRate, decimal tickSize)
    {
        var fee = 1m + feeRate;
        var original = buyPrice * fee;
        var netTarget = original * (1m + profitInterval);
        var gross = netTarget * fee;
        return FloorTo(tickSize, gross);
    }

    /// <summary>The price under which (strictly) a trader asks for another trader: <c>buyPrice − buyPrice × rebuyInterval</c>.</summary>
    public static decimal RebuyPrice(decimal buyPrice, decimal rebuyInterval) => buyPrice - (buyPrice * rebuyInterval);

    /// <summary>True when <paramref name="currentPrice"/> is strictly below the rebuy level.</summary>
    public static bool IsRebuy(decimal currentPrice, decimal buyPrice, decimal rebuyInterval) =>
        currentPrice < RebuyPrice(buyPrice, rebuyInterval);

    /// <summary>Number of decimal places of a tick or step size written without trailing zeros (0.00010000 → 4).</summary>
    public static int DecimalPlaces(decimal value)
    {
        var normalized = value / 1.0000000000000000000000000000m;
        return (decimal.GetBits(normalized)[3] >> 16) & 0xFF;
    }
}

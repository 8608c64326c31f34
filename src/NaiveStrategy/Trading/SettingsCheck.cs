using System.Globalization;

namespace NaiveStrategy;

/// <summary>
/// Both legs pass the filters (docs/strategy.md, "Money rules"): before a BUY is sent, the BUY and the SELL
/// that would follow it (its quantity after the fee, floored to the step, at the profit target) are
/// checked against PRICE_FILTER, LOT_SIZE and NOTIONAL / MIN_NOTIONAL. A trader budget that cannot pass
/// is a settings problem, refused with a message naming the symbol, the figure and the filter:
/// <c>XRPUSDT: budget/chunks 10.5 gives a SELL notional 9.006, below NOTIONAL 10</c>.
/// </summary>
internal static class SettingsCheck
{
    /// <summary>
    /// Null when a BUY of <paramref name="quantity"/> at <paramref name="price"/> and the SELL it leads to
    /// both pass the filters; otherwise why the trader's budget is refused.
    /// </summary>
    public static SettingsRefused? CheckBuy(TraderState trader, decimal price, decimal quantity)
    {
        ArgumentNullException.ThrowIfNull(trader);
        var f = trader.Filters;
        var s = trader.Settings;
        if (Refuse(trader, "BUY", price, quantity) is { } buy)
        {
            return buy;
        }

        var sellPrice = TradingMath.SellPrice(price, s.ProfitInterval, s.FeeRate, f.TickSize);
        var sellQuantity = TradingMath.FloorTo(f.StepSize, quantity - (quantity * s.FeeRate));
        return Refuse(trader, "SELL", sellPrice, sellQuantity);
    }

    private static SettingsRefused? Refuse(TraderState trader, string side, decimal price, decimal quantity)
    {
        var f = trader.Filters;
        var filter = f.FindFilterFailure(price, quantity);
        if (filter is null)
        {
            return null;
        }

        var problem = filter switch
        {
            "PRICE_FILTER" when f.MaxPrice > 0 && price > f.MaxPrice => $"price {f.FormatPrice(price)}, above PRICE_FILTER maximum {Plain(f.MaxPrice)}",
            "PRICE_FILTER" => $"price {f.FormatPrice(price)}, below PRICE_FILTER {Plain(Math.Max(f.MinPrice, f.TickSize))}",
            "LOT_SIZE" when f.MaxQuantity > 0 && quantity > f.MaxQuantity => $"quantity {f.FormatQuantity(quantity)}, above LOT_SIZE maximum {Plain(f.MaxQuantity)}",
            "LOT_SIZE" => $"quantity {f.FormatQuantity(quantity)}, below LOT_SIZE {Plain(Math.Max(f.MinQuantity, f.StepSize))}",
            _ when f.MaxNotional > 0 && price * quantity > f.MaxNotional => $"notional {Figure(price * quantity, f.MaxNotional)}, above {filter} maximum {Plain(f.MaxNotional)}",
            _ => $"notional {Figure(price * quantity, f.MinNotional)}, below {filter} {Plain(f.MinNotional)}",
        };
        var message = $"{f.Symbol}: budget/chunks {Plain(Math.Round(trader.Budget, 8, MidpointRounding.ToZero))} gives a {side} {problem}";
        return new SettingsRefused(trader.TraderId, filter, message);
    }

    // A figure for people: four significant digits, cut (never rounded up, so "below" stays true), with
    // more digits only when four would make it look equal to the limit it is compared with.
    internal static string Figure(decimal value, decimal limit)
    {
        for (var digits = 4; digits < 28; digits++)
        {
            var cut = Significant(value, digits);
            if (cut != limit || cut == value)
            {
                return Plain(cut);
            }
        }

        return Plain(value);
    }

    private static decimal Significant(decimal value, int digits)
    {
        var magnitude = Math.Abs(value);
        if (magnitude == 0)
        {
            return 0m;
        }

        int decimals;
        if (magnitude >= 1)
        {
            var integerDigits = decimal.Truncate(magnitude).ToString(CultureInfo.InvariantCulture).Length;
            decimals = Math.Max(0, digits - integerDigits);
        }
        else
        {
            var zeros = 0;
            for (var x = magnitude; x < 0.1m; x *= 10)
            {
                zeros++;
            }

            decimals = digits + zeros;
        }

        return Math.Round(value, Math.Min(decimals, 28), MidpointRounding.ToZero);
    }

    // Without trailing zeros: a filter read as 10.00000000 is written 10.
    private static string Plain(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}

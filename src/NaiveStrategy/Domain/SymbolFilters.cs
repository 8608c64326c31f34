using System.Globalization;

namespace NaiveStrategy;

/// <summary>
/// The exchange's trading rules for one symbol (Binance's PRICE_FILTER, LOT_SIZE and NOTIONAL /
/// MIN_NOTIONAL filters). A zero maximum means "no maximum".
/// </summary>
public sealed record SymbolFilters
{
    /// <summary>Upper-case symbol, e.g. <c>XRPUSDT</c>.</summary>
    public required string Symbol { get; init; }

    /// <summary>Base asset, e.g. <c>XRP</c>.</summary>
    public required string BaseAsset { get; init; }

    /// <summary>Quote asset, e.g. <c>USDT</c>.</summary>
    public required string QuoteAsset { get; init; }

    /// <summary>PRICE_FILTER.tickSize: prices are multiples of it.</summary>
    public required decimal TickSize { get; init; }

    /// <summary>LOT_SIZE.stepSize: quantities are multiples of it.</summary>
    public required decimal StepSize { get; init; }

    /// <summary>PRICE_FILTER.minPrice.</summary>
    public decimal MinPrice { get; init; }

    /// <summary>PRICE_FILTER.maxPrice (0 = none).</summary>
    public decimal MaxPrice { get; init; }

    /// <summary>LOT_SIZE.minQty.</summary>
    public decimal MinQuantity { get; init; }

    /// <summary>LOT_SIZE.maxQty (0 = none).</summary>
    public decimal MaxQuantity { get; init; }

    /// <summary>NOTIONAL.minNotional (or the older MIN_NOTIONAL.minNotional): price × quantity must reach it.</summary>
    public decimal MinNotional { get; init; }

    /// <summary>NOTIONAL.maxNotional (0 = none).</summary>
    public decimal MaxNotional { get; init; }

    /// <summary>
    /// The name of the filter that rejects the notional, as the exchange reports it
    /// (<c>NOTIONAL</c> today, <c>MIN_NOTIONAL</c> on older symbol definitions).
    /// </summary>
    public string NotionalFilterName { get; init; } = "NOTIONAL";

    /// <summary>Decimal places of <see cref="TickSize"/>: how prices are written on the wire.</summary>
    public int PriceDecimals => TradingMath.DecimalPlaces(TickSize);

    /// <summary>Decimal places of <see cref="StepSize"/>: how quantities are written on the wire.</summary>
    public int QuantityDecimals => TradingMath.DecimalPlaces(StepSize);

    /// <summary>Formats a price invariantly with exactly the tick size's precision.</summary>
    public string FormatPrice(decimal price) => price.ToString("F" + PriceDecimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Formats a quantity invariantly with exactly the step size's precision.</summary>
    public string FormatQuantity(decimal quantity) => quantity.ToString("F" + QuantityDecimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// Checks an order against the filters the way the exchange would.
    /// Returns null when it passes, otherwise the failing filter's name (<c>PRICE_FILTER</c>,
    /// <c>LOT_SIZE</c>, <c>NOTIONAL</c> or <c>MIN_NOTIONAL</c>).
    /// </summary>
    public string? FindFilterFailure(decimal price, decimal quantity)
    {
        if (price <= 0 || price < MinPrice || (MaxPrice > 0 && price > MaxPrice) || (TickSize > 0 && price % TickSize != 0))
        {
            return "PRICE_FILTER";
        }

        if (quantity <= 0 || quantity < MinQuantity || (MaxQuantity > 0 && quantity > MaxQuantity) || (StepSize > 0 && quantity % StepSize != 0))
        {
            return "LOT_SIZE";
        }

        var notional = price * quantity;
        return notional < MinNotional || (MaxNotional > 0 && notional > MaxNotional) ? NotionalFilterName : null;
    }

    /// <summary>MARKET_LOT_SIZE.stepSize: the step of a MARKET order's quantity; 0 when the symbol has none (LOT_SIZE applies).</summary>
    public decimal MarketStepSize { get; init; }

    /// <summary>MARKET_LOT_SIZE.minQty (0 when not set).</summary>
    public decimal MarketMinQuantity { get; init; }

    /// <summary>MARKET_LOT_SIZE.maxQty (0 when not set).</summary>
    public decimal MarketMaxQuantity { get; init; }

    /// <summary>
    /// The largest quantity up to <paramref name="quantity"/> a MARKET order may carry: floored to LOT_SIZE's step
    /// and MARKET_LOT_SIZE's (when set) and capped at both maxima; 0 when not even the minimum fits.
    /// </summary>
    public decimal MarketQuantity(decimal quantity)
    {
        var q = TradingMath.FloorTo(StepSize, quantity);
        if (MarketStepSize > 0)
        {
            q = TradingMath.FloorTo(MarketStepSize, q);
        }

        if (MaxQuantity > 0 && q > MaxQuantity)
        {
            q = TradingMath.FloorTo(MarketStepSize > 0 ? MarketStepSize : StepSize, MaxQuantity);
        }

        if (MarketMaxQuantity > 0 && q > MarketMaxQuantity)
        {
            q = TradingMath.FloorTo(MarketStepSize > 0 ? MarketStepSize : StepSize, MarketMaxQuantity);
        }

        return q <= 0 || q < MinQuantity || q < MarketMinQuantity ? 0m : q;
    }

    /// <summary>
    /// Checks a MARKET order the way the exchange would, at an estimate of its price: LOT_SIZE and MARKET_LOT_SIZE,
    /// then NOTIONAL / MIN_NOTIONAL at <paramref name="estimatedPrice"/>. Null when it passes, else the filter's name.
    /// </summary>
    public string? FindMarketFilterFailure(decimal estimatedPrice, decimal quantity)
    {
        if (quantity <= 0 || quantity < MinQuantity || (MaxQuantity > 0 && quantity > MaxQuantity) || (StepSize > 0 && quantity % StepSize != 0))
        {
            return "LOT_SIZE";
        }

        if (quantity < MarketMinQuantity || (MarketMaxQuantity > 0 && quantity > MarketMaxQuantity) || (MarketStepSize > 0 && quantity % MarketStepSize != 0))
        {
            return "MARKET_LOT_SIZE";
        }

        return estimatedPrice > 0 && estimatedPrice * quantity < MinNotional ? NotionalFilterName : null;
    }

    /// <summary>Throws when the filters cannot be traded with (non-positive tick or step).</summary>
    /// <exception cref="ArgumentException">A filter value is invalid; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Symbol))
        {
            throw new ArgumentException("SymbolFilters.Symbol is required.", nameof(Symbol));
        }

        if (TickSize <= 0)
        {
            throw new ArgumentException($"SymbolFilters.TickSize for {Symbol} must be > 0, got {TickSize.ToString(CultureInfo.InvariantCulture)}.", nameof(TickSize));
        }

        if (StepSize <= 0)
        {
            throw new ArgumentException($"SymbolFilters.StepSize for {Symbol} must be > 0, got {StepSize.ToString(CultureInfo.InvariantCulture)}.", nameof(StepSize));
        }
    }
}

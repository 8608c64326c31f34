using System.Globalization;
using System.Text.Json;

namespace NaiveStrategy.Binance;

/// <summary>Reads symbol filters from a Binance <c>exchangeInfo</c> response (REST answer or saved file).</summary>
public static class BinanceExchangeInfo
{
    /// <summary>
    /// Filters by symbol. Accepts the current <c>NOTIONAL</c> filter and the older <c>MIN_NOTIONAL</c>. Every filter is
    /// optional, as Binance documents them: without <c>PRICE_FILTER</c> (or with its <c>tickSize</c> 0) prices step by the
    /// quote asset's precision, without <c>LOT_SIZE</c> quantities by the base asset's; filter types this version does not
    /// know are skipped.
    /// </summary>
    /// <exception cref="FormatException">The JSON is malformed or a symbol's field is unreadable; the message names it.</exception>
    public static IReadOnlyDictionary<string, SymbolFilters> Parse(string json) =>
        ParseSymbols(json).ToDictionary(s => s.Key, s => s.Value.Filters, StringComparer.Ordinal);

    /// <summary>Each symbol's filters and trading status (<c>status</c>: TRADING, END_OF_DAY, HALT, BREAK, CANCEL_ONLY…).</summary>
    internal static IReadOnlyDictionary<string, BinanceSymbol> ParseSymbols(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("symbols", out var symbols) || symbols.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("exchangeInfo has no 'symbols' array.");
            }

            var result = new Dictionary<string, BinanceSymbol>(StringComparer.Ordinal);
            foreach (var symbol in symbols.EnumerateArray())
            {
                var filters = ParseSymbol(symbol);
                var status = symbol.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : BinanceSymbol.Trading;
                result[filters.Symbol] = new BinanceSymbol(filters, status);
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"exchangeInfo is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a saved exchangeInfo file.</summary>
    public static IReadOnlyDictionary<string, SymbolFilters> Load(string path) => Parse(File.ReadAllText(path));

    private static SymbolFilters ParseSymbol(JsonElement symbol)
    {
        var name = Text(symbol, "symbol", "(unknown)");
        JsonElement? price = null, lot = null, notional = null, marketLot = null;
        var notionalName = "NOTIONAL";
        var list = symbol.TryGetProperty("filters", out var f) && f.ValueKind == JsonValueKind.Array ? f.EnumerateArray().ToArray() : [];
        foreach (var filter in list)
        {
            switch (filter.TryGetProperty("filterType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null)
            {
                case "PRICE_FILTER":
                    price = filter;
                    break;
                case "LOT_SIZE":
                    lot = filter;
                    break;
                case "MARKET_LOT_SIZE":
                    marketLot = filter;
                    break;
                case "NOTIONAL":
                    notional = filter;
                    notionalName = "NOTIONAL";
                    break;
                case "MIN_NOTIONAL" when notional is null:
                    notional = filter;
                    notionalName = "MIN_NOTIONAL";
                    break;
            }
        }

        // Without a price or lot filter (or with its step 0, "disabled"), the asset's precision is the step.
        var tick = price is { } p && Number(p, "tickSize", name) is > 0 and var t ? t : Precision(symbol, "quoteAssetPrecision", "quotePrecision");
        var step = lot is { } l && Number(l, "stepSize", name) is > 0 and var q ? q : Precision(symbol, "baseAssetPrecision", null);
        return new SymbolFilters
        {
            Symbol = name,
            BaseAsset = Text(symbol, "baseAsset", name),
            QuoteAsset = Text(symbol, "quoteAsset", name),
            TickSize = tick,
            MinPrice = price is { } pn ? Number(pn, "minPrice", name) : 0m,
            MaxPrice = price is { } px ? Number(px, "maxPrice", name) : 0m,
            StepSize = step,
            MinQuantity = lot is { } ln ? Number(ln, "minQty", name) : 0m,
            MaxQuantity = lot is { } lx ? Number(lx, "maxQty", name) : 0m,
            MinNotional = notional is { } n ? Number(n, "minNotional", name) : 0m,
            MaxNotional = notional is { } m && m.TryGetProperty("maxNotional", out _) ? Number(m, "maxNotional", name) : 0m,
            NotionalFilterName = notionalName,

            // Binance writes stepSize 0 in MARKET_LOT_SIZE for "no step of its own": then LOT_SIZE's applies.
            MarketStepSize = marketLot is { } ms ? Number(ms, "stepSize", name) : 0m,
            MarketMinQuantity = marketLot is { } mn ? Number(mn, "minQty", name) : 0m,
            MarketMaxQuantity = marketLot is { } mx ? Number(mx, "maxQty", name) : 0m,
        };
    }

    // 10^-precision (Binance lists 8 for most assets), 8 decimals when the symbol says nothing.
    private static decimal Precision(JsonElement symbol, string property, string? fallback)
    {
        var digits = symbol.TryGetProperty(property, out var v) && v.TryGetInt32(out var d) ? d
            : fallback is not null && symbol.TryGetProperty(fallback, out var f) && f.TryGetInt32(out var e) ? e
            : 8;
        return digits is >= 0 and <= 18 ? 1m / Pow10(digits) : throw new FormatException($"exchangeInfo: '{property}' is out of range ({digits}).");
    }

    private static decimal Pow10(int digits)
    {
        var result = 1m;
        for (var i = 0; i < digits; i++)
        {
            result *= 10m;
        }

        return result;
    }

    private static string Text(JsonElement element, string property, string symbol) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"exchangeInfo symbol {symbol}: '{property}' is missing.");

    internal static decimal Number(JsonElement element, string property, string symbol)
    {
        if (!element.TryGetProperty(property, out var value))
        {
            throw new FormatException($"exchangeInfo symbol {symbol}: '{property}' is missing.");
        }

        return value.ValueKind switch
        {
            JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            JsonValueKind.Number => value.GetDecimal(),
            _ => throw new FormatException($"exchangeInfo symbol {symbol}: '{property}' is not a number ({value.GetRawText()})."),
        };
    }
}

/// <summary>A symbol of exchangeInfo: its filters and its trading status.</summary>
internal sealed record BinanceSymbol(SymbolFilters Filters, string Status)
{
    /// <summary>The only status in which Binance takes new orders.</summary>
    public const string Trading = "TRADING";

    /// <summary>Cancels are taken, new orders refused (since 2026-07).</summary>
    public const string CancelOnly = "CANCEL_ONLY";

    /// <summary>Whether new orders are taken.</summary>
    public bool IsTrading => Status == Trading;
}

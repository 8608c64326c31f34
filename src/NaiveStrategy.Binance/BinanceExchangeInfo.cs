using System.Globalization;
using System.Text.Json;

namespace NaiveStrategy.Binance;

/// <summary>Reads symbol filters from a Binance <c>exchangeInfo</c> response (REST answer or saved file).</summary>
public static class BinanceExchangeInfo
{
    /// <summary>Filters by symbol. Accepts the current <c>NOTIONAL</c> filter and the older <c>MIN_NOTIONAL</c>.</summary>
    /// <exception cref="FormatException">The JSON is malformed or a symbol misses a filter; the message names it.</exception>
    public static IReadOnlyDictionary<string, SymbolFilters> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("symbols", out var symbols) || symbols.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("exchangeInfo has no 'symbols' array.");
            }

            var result = new Dictionary<string, SymbolFilters>(StringComparer.Ordinal);
            foreach (var symbol in symbols.EnumerateArray())
            {
                var filters = ParseSymbol(symbol);
                result[filters.Symbol] = filters;
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
        foreach (var filter in symbol.GetProperty("filters").EnumerateArray())
        {
            switch (Text(filter, "filterType", name))
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

        var p = price ?? throw new FormatException($"exchangeInfo symbol {name} has no PRICE_FILTER.");
        var l = lot ?? throw new FormatException($"exchangeInfo symbol {name} has no LOT_SIZE filter.");
        return new SymbolFilters
        {
            Symbol = name,
            BaseAsset = Text(symbol, "baseAsset", name),
            QuoteAsset = Text(symbol, "quoteAsset", name),
            TickSize = Number(p, "tickSize", name),
            MinPrice = Number(p, "minPrice", name),
            MaxPrice = Number(p, "maxPrice", name),
            StepSize = Number(l, "stepSize", name),
            MinQuantity = Number(l, "minQty", name),
            MaxQuantity = Number(l, "maxQty", name),
            MinNotional = notional is { } n ? Number(n, "minNotional", name) : 0m,
            MaxNotional = notional is { } m && m.TryGetProperty("maxNotional", out _) ? Number(m, "maxNotional", name) : 0m,
            NotionalFilterName = notionalName,

            // Binance writes stepSize 0 in MARKET_LOT_SIZE for "no step of its own": then LOT_SIZE's applies.
            MarketStepSize = marketLot is { } ms ? Number(ms, "stepSize", name) : 0m,
            MarketMinQuantity = marketLot is { } mn ? Number(mn, "minQty", name) : 0m,
            MarketMaxQuantity = marketLot is { } mx ? Number(mx, "maxQty", name) : 0m,
        };
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

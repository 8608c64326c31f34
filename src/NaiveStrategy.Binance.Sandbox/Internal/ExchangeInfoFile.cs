using System.Globalization;
using System.Text.Json;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>Reads the symbols of a Binance exchangeInfo response; accepts NOTIONAL and the older MIN_NOTIONAL.</summary>
internal static class ExchangeInfoFile
{
    public static IReadOnlyList<SymbolFilters> Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return Parse(document.RootElement, path);
    }

    public static IReadOnlyList<SymbolFilters> Parse(JsonElement root, string source)
    {
        if (!root.TryGetProperty("symbols", out var symbols) || symbols.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{source}: not an exchangeInfo response (no 'symbols' array).");
        }

        var result = new List<SymbolFilters>();
        foreach (var symbol in symbols.EnumerateArray())
        {
            if (symbol.TryGetProperty("status", out var status) && status.GetString() != "TRADING")
            {
                continue;
            }

            decimal tick = 0, step = 0, minPrice = 0, maxPrice = 0, minQty = 0, maxQty = 0, minNotional = 0, maxNotional = 0, marketMin = 0, marketMax = 0, marketStep = 0;
            var notionalName = "NOTIONAL";
            foreach (var filter in symbol.GetProperty("filters").EnumerateArray())
            {
                switch (filter.GetProperty("filterType").GetString())
                {
                    case "PRICE_FILTER":
                        (minPrice, maxPrice, tick) = (Number(filter, "minPrice"), Number(filter, "maxPrice"), Number(filter, "tickSize"));
                        break;
                    case "LOT_SIZE":
                        (minQty, maxQty, step) = (Number(filter, "minQty"), Number(filter, "maxQty"), Number(filter, "stepSize"));
                        break;
                    case "MARKET_LOT_SIZE":
                        (marketMin, marketMax, marketStep) = (Number(filter, "minQty"), Number(filter, "maxQty"), Number(filter, "stepSize"));
                        break;
                    case "NOTIONAL":
                        (minNotional, maxNotional, notionalName) = (Number(filter, "minNotional"), Number(filter, "maxNotional"), "NOTIONAL");
                        break;
                    case "MIN_NOTIONAL":
                        (minNotional, notionalName) = (Number(filter, "minNotional"), "MIN_NOTIONAL");
                        break;
                }
            }

            if (tick <= 0 || step <= 0)
            {
                continue;
            }

            result.Add(new SymbolFilters
            {
                Symbol = symbol.GetProperty("symbol").GetString()!,
                BaseAsset = symbol.GetProperty("baseAsset").GetString()!,
                QuoteAsset = symbol.GetProperty("quoteAsset").GetString()!,
                TickSize = tick,
                StepSize = step,
                MinPrice = minPrice,
                MaxPrice = maxPrice,
                MinQuantity = minQty,
                MaxQuantity = maxQty,
                MinNotional = minNotional,
                MaxNotional = maxNotional,
                NotionalFilterName = notionalName,
                MarketMinQuantity = marketMin,
                MarketMaxQuantity = marketMax,
                MarketStepSize = marketStep,
            });
        }

        return result;
    }

    private static decimal Number(JsonElement filter, string name) =>
        filter.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? decimal.Parse(value.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture)
            : 0m;
}

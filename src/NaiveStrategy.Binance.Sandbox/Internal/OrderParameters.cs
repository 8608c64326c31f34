using System.Globalization;
using System.Text.Json;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>Binance's parameter checks that need no exchange state: decimals, symbol lists, LIMIT and MARKET parameters.</summary>
internal static class OrderParameters
{
    public static decimal? ParseDecimal(ApiRequest request, string name) =>
        request.Get(name) is { } text && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    // exchangeInfo's symbols: a JSON array of strings, e.g. ["BTCUSDT","BNBBTC"]; null when it is not one.
    public static string[]? ParseSymbolList(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var names = new List<string>();
            foreach (var element in root.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 } name)
                {
                    return null;
                }

                names.Add(name);
            }

            return names.ToArray();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // LIMIT (GTC only here): timeInForce is mandatory.
    public static ApiError? LimitError(ApiRequest request) => request.Get("timeInForce") switch
    {
        null => ApiError.Mandatory("timeInForce"),
        "GTC" => null,
        _ => new ApiError(400, -1115, "Invalid timeInForce."),
    };

    // MARKET, as Binance checks it: no price nor timeInForce, a quantity (quoteOrderQty is not allowed on these
    // symbols: exchangeInfo says quoteOrderQtyMarketAllowed=false).
    public static ApiError? MarketError(ApiRequest request)
    {
        if (request.Get("price") is not null)
        {
            return NotRequired("price");
        }

        if (request.Get("timeInForce") is not null)
        {
            return NotRequired("timeInForce");
        }

        if (request.Get("quoteOrderQty") is not null)
        {
            return new ApiError(400, -1013, "Quote order qty market orders are not support for this symbol.");
        }

        return request.Get("quantity") is null
            ? new ApiError(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
            : null;
    }

    private static ApiError NotRequired(string name) => new(400, -1106, $"Parameter '{name}' sent when not required.");
}

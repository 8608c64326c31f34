using System.Globalization;
using System.Text.Json;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// The body of <c>POST /sandbox/trades</c>: <c>[{"symbol":"XRPUSDT","price":"0.43","qty":"10","time":1700000000000,"id":1,"m":false}]</c>
/// (time, id and m optional; price and qty as strings or numbers). Every trade is checked before any is published:
/// a listed symbol, price and quantity &gt; 0 within decimal's range (their product too), a time and id that exist.
/// </summary>
internal static class ControlTrades
{
    private static readonly long MaxTimeMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// The trades, or null and the error naming the first bad one. <c>nextId</c> is called only once every trade is
    /// valid, for each trade without an id; <c>now</c> is the time of trades without one.
    /// </summary>
    public static List<TradeEvent>? Parse(string body, IReadOnlyDictionary<string, SymbolFilters> symbols, DateTimeOffset now, Func<long> nextId, out ApiError? error)
    {
        error = null;
        var parsed = new List<(string Symbol, long? Id, decimal Price, decimal Quantity, DateTimeOffset Time, bool BuyerMaker)>();
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = ApiError.InvalidJson("expected a JSON array of trades such as [{\"symbol\":\"XRPUSDT\",\"price\":\"0.6\",\"qty\":\"50\"}].");
                return null;
            }

            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var at = string.Create(CultureInfo.InvariantCulture, $"trades[{index++}]");
                if (item.ValueKind != JsonValueKind.Object)
                {
                    error = ApiError.InvalidJson($"{at} must be an object.");
                    return null;
                }

                if ((error = Symbol(item, at, symbols, out var symbol)) is not null
                    || (error = Positive(item, "price", at, out var price)) is not null
                    || (error = Positive(item, "qty", at, out var quantity)) is not null
                    || (error = Time(item, at, now, out var time)) is not null
                    || (error = Id(item, at, out var id)) is not null
                    || (error = BuyerMaker(item, at, out var buyerMaker)) is not null)
                {
                    return null;
                }

                if (!Fits(price, quantity))
                {
                    error = Illegal($"{at}: price × qty is beyond decimal's range ({Text(price)} × {Text(quantity)}).");
                    return null;
                }

                parsed.Add((symbol!, id, price, quantity, time, buyerMaker));
            }
        }
        catch (JsonException ex)
        {
            error = ApiError.InvalidJson(ex.Message);
            return null;
        }
        catch (InvalidOperationException)
        {
            error = ApiError.InvalidJson("a string holds an invalid escape sequence.");
            return null;
        }

        return parsed.Select(t => new TradeEvent(t.Symbol, t.Id ?? nextId(), t.Price, t.Quantity, t.Time, t.BuyerMaker)).ToList();
    }

    private static ApiError? Symbol(JsonElement item, string at, IReadOnlyDictionary<string, SymbolFilters> symbols, out string? symbol)
    {
        symbol = null;
        if (!item.TryGetProperty("symbol", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Mandatory($"{at}.symbol");
        }

        if (value.ValueKind != JsonValueKind.String || !symbols.ContainsKey(value.GetString()!))
        {
            var listed = string.Join(", ", symbols.Keys.Order(StringComparer.Ordinal).Take(10)) + (symbols.Count > 10 ? ", …" : string.Empty);
            return new ApiError(400, -1121, $"Invalid symbol: {at}.symbol {Shorten(value.GetRawText())} is not traded by this sandbox ({listed}).");
        }

        symbol = value.GetString();
        return null;
    }

    private static ApiError? Positive(JsonElement item, string name, string at, out decimal result)
    {
        result = 0;
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Mandatory($"{at}.{name}");
        }

        var ok = value.ValueKind switch
        {
            // As Binance writes numbers: digits and a decimal point, no sign, no exponent, no spaces.
            JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out result),
            JsonValueKind.Number => value.TryGetDecimal(out result),
            _ => false,
        };
        return ok && result > 0 ? null : Illegal($"{at}.{name} must be a decimal > 0 within decimal's range, got {Shorten(value.GetRawText())}.");
    }

    private static ApiError? Time(JsonElement item, string at, DateTimeOffset now, out DateTimeOffset time)
    {
        time = now;
        if (!item.TryGetProperty("time", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var ms) || ms < 0 || ms > MaxTimeMs)
        {
            return Illegal($"{at}.time must be Unix milliseconds in [0, {MaxTimeMs.ToString(CultureInfo.InvariantCulture)}], got {Shorten(value.GetRawText())}.");
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return null;
    }

    private static ApiError? Id(JsonElement item, string at, out long? id)
    {
        id = null;
        if (!item.TryGetProperty("id", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < 0)
        {
            return Illegal($"{at}.id must be a whole number >= 0, got {Shorten(value.GetRawText())}.");
        }

        id = number;
        return null;
    }

    private static ApiError? BuyerMaker(JsonElement item, string at, out bool buyerMaker)
    {
        buyerMaker = false;
        if (!item.TryGetProperty("m", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Illegal($"{at}.m must be true or false, got {Shorten(value.GetRawText())}.");
        }

        buyerMaker = value.GetBoolean();
        return null;
    }

    private static bool Fits(decimal price, decimal quantity)
    {
        try
        {
            _ = price * quantity;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static ApiError Mandatory(string name) => new(400, -1102, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.");

    private static ApiError Illegal(string message) => new(400, -1100, message);

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Shorten(string raw) => raw.Length > 40 ? raw[..40] + "…" : raw;
}

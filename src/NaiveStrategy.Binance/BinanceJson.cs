using System.Globalization;
using System.Text.Json;

namespace NaiveStrategy.Binance;

// Binance JSON → domain values. Numbers arrive as strings ("0.43070000"): parsed invariantly as decimal.
internal static class BinanceJson
{
    public static decimal Decimal(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : throw new FormatException($"Binance answer: '{property}' is missing or not a number.");

    public static string String(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException($"Binance answer: '{property}' is missing.");

    public static long Long(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : throw new FormatException($"Binance answer: '{property}' is missing.");

    public static OrderStatus Status(string status) => status switch
    {
        "NEW" => OrderStatus.New,
        "PARTIALLY_FILLED" => OrderStatus.PartiallyFilled,
        "FILLED" => OrderStatus.Filled,
        "CANCELED" => OrderStatus.Canceled,
        "PENDING_CANCEL" => OrderStatus.PendingCancel,
        "REJECTED" => OrderStatus.Rejected,
        "EXPIRED" or "EXPIRED_IN_MATCH" => OrderStatus.Expired,
        "PENDING_NEW" => OrderStatus.PendingNew,
        _ => throw new FormatException($"Unknown Binance order status '{status}'."),
    };

    public static OrderSide Side(string side) => side switch
    {
        "BUY" => OrderSide.Buy,
        "SELL" => OrderSide.Sell,
        _ => throw new FormatException($"Unknown Binance order side '{side}'."),
    };

    public static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    // An order as REST returns it (place RESULT/FULL, query, cancel, open orders). Commission is not part
    // of it: the caller adds what the user data stream accumulated.
    public static OrderUpdate Order(JsonElement e, decimal commission, string? commissionAsset)
    {
        var time = e.TryGetProperty("updateTime", out var u) ? u.GetInt64()
            : e.TryGetProperty("transactTime", out var t) ? t.GetInt64()
            : e.TryGetProperty("time", out var tt) ? tt.GetInt64() : 0;
        return new OrderUpdate(
            String(e, "symbol"),
            e.TryGetProperty("origClientOrderId", out var orig) && orig.ValueKind == JsonValueKind.String ? orig.GetString()! : String(e, "clientOrderId"),
            Long(e, "orderId"),
            Side(String(e, "side")),
            Decimal(e, "price"),
            Decimal(e, "origQty"),
            Decimal(e, "executedQty"),
            Status(String(e, "status")),
            commission,
            commissionAsset,
            Time(time))
        {
            // What the order executed for, whatever its type: a MARKET order has no price, and a LIMIT order that took
            // on arrival traded at the book's price, better than its limit.
            QuoteQuantity = QuoteQuantity(e, "cummulativeQuoteQty"),
        };
    }

    // An order's cumulative quote quantity (REST cummulativeQuoteQty, executionReport Z); null when absent or negative
    // (rest-api.md: a negative value means the figure is not available).
    public static decimal? QuoteQuantity(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind is JsonValueKind.String or JsonValueKind.Number && Decimal(e, name) is var quote && quote >= 0 ? quote : null;

    // One entry of GET /api/v3/myTrades.
    public static OrderFill Fill(JsonElement e) => new(
        String(e, "symbol"),
        Long(e, "id"),
        Long(e, "orderId"),
        Decimal(e, "price"),
        Decimal(e, "qty"),
        Decimal(e, "commission"),
        e.TryGetProperty("commissionAsset", out var a) && a.ValueKind == JsonValueKind.String && a.GetString() is { Length: > 0 } asset ? asset : null,
        Time(Long(e, "time")));

    public static TradeEvent Trade(JsonElement e, string symbol) => new(
        symbol,
        Long(e, "t"),
        Decimal(e, "p"),
        Decimal(e, "q"),
        Time(Long(e, "T")),
        e.TryGetProperty("m", out var m) && m.ValueKind == JsonValueKind.True);
}

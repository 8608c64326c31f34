using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// Binance's two time units: requests may stamp <c>timestamp</c> in milliseconds or microseconds; answers are in
/// milliseconds unless the client asks for microseconds (REST: header <c>X-MBX-TIME-UNIT: MICROSECOND</c>, WebSocket API:
/// <c>?timeUnit=MICROSECOND</c> on the connection URL).
/// </summary>
internal static class TimeUnits
{
    public const string Header = "X-MBX-TIME-UNIT";

    // Milliseconds reach 10^14 in the year 5138; microseconds passed it in 1973.
    private const long MicrosecondsFrom = 100_000_000_000_000;

    // The time fields of Binance's JSON answers and events (order, trade, account and exchange information).
    private static readonly HashSet<string> TimeFields = new(StringComparer.Ordinal)
    {
        "serverTime", "transactTime", "time", "updateTime", "workingTime", "retryAfter", "E", "T", "O", "W", "u",
    };

    /// <summary>A request timestamp in milliseconds (with the fraction a microsecond one has).</summary>
    public static decimal ToMilliseconds(long timestamp) => timestamp >= MicrosecondsFrom ? timestamp / 1000m : timestamp;

    /// <summary>True for MICROSECOND in either case (Binance's two spellings); anything else is milliseconds.</summary>
    public static bool IsMicrosecond(string? unit) => unit is "MICROSECOND" or "microsecond";

    /// <summary>-1194 for a unit that is neither (an absent or empty one is milliseconds).</summary>
    public static ApiError? Check(string? unit) =>
        string.IsNullOrEmpty(unit) || unit is "MICROSECOND" or "microsecond" or "MILLISECOND" or "millisecond"
            ? null
            : new ApiError(400, -1194, "Invalid value for time unit; expected either MICROSECOND or MILLISECOND.");

    /// <summary>Rewrites the time fields of an answer in place from milliseconds to microseconds.</summary>
    public static JsonNode? ToMicroseconds(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToArray())
                {
                    if (TimeFields.Contains(name) && value is JsonValue v && v.TryGetValue<long>(out var ms))
                    {
                        o[name] = ms * 1000;
                    }
                    else
                    {
                        ToMicroseconds(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    ToMicroseconds(item);
                }

                break;
        }

        return node;
    }
}

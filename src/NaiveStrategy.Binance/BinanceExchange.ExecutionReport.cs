using System.Text.Json;

namespace NaiveStrategy.Binance;

// executionReport (user-data-stream.md, "Order Update") → OrderUpdate, with the fees of the fills seen.
public sealed partial class BinanceExchange
{
    // executionReport → cumulative OrderUpdate. Commission ('n') and quantity ('l') are per fill: summed
    // once per trade id, so a duplicated report does not count a fee twice, and the commission is known
    // only while the fills seen add up to the executed quantity ('z').
    private OrderUpdate ExecutionReport(JsonElement e)
    {
        var execution = BinanceJson.String(e, "x");
        var cid = execution == "CANCELED" && e.TryGetProperty("C", out var original) && original.GetString() is { Length: > 0 } o ? o : BinanceJson.String(e, "c");
        var fees = _fees.GetOrAdd(cid, _ => new Fees());
        if (execution == "TRADE" && e.TryGetProperty("t", out var t) && t.GetInt64() >= 0)
        {
            fees.Add(t.GetInt64(), BinanceJson.Decimal(e, "l"), BinanceJson.Decimal(e, "n"), e.TryGetProperty("N", out var asset) ? asset.GetString() : null);
        }

        var executed = BinanceJson.Decimal(e, "z");
        return new OrderUpdate(
            BinanceJson.String(e, "s"), cid, BinanceJson.Long(e, "i"), BinanceJson.Side(BinanceJson.String(e, "S")),
            BinanceJson.Decimal(e, "p"), BinanceJson.Decimal(e, "q"), executed, BinanceJson.Status(BinanceJson.String(e, "X")),
            fees.Total, fees.Asset, BinanceJson.Time(BinanceJson.Long(e, "T")))
        {
            // A connection that missed some of the order's trades knows only part of its commission.
            CommissionKnown = fees.Covers(executed),
            // 'Z' for every order type: a LIMIT order that takes on arrival trades at the book's price, not at its limit.
            QuoteQuantity = BinanceJson.QuoteQuantity(e, "Z"),
            Source = OrderUpdateSource.Stream,
        };
    }

    private sealed class Fees
    {
        private readonly HashSet<long> _trades = [];

        public decimal Total { get; private set; }

        public string? Asset { get; private set; }

        private decimal Quantity { get; set; }

        public bool Covers(decimal executed)
        {
            lock (_trades)
            {
                return Quantity == executed;
            }
        }

        public void Add(long tradeId, decimal quantity, decimal commission, string? asset)
        {
            lock (_trades)
            {
                if (_trades.Add(tradeId))
                {
                    Quantity += quantity;
                    Total += commission;
                    Asset = asset ?? Asset;
                }
            }
        }
    }

    // An executionReport's identity: the same event delivered twice (by both connections of a handover) has the same.
    // Order ids (and trade ids) are per symbol: the symbol is part of it.
    private static string EventKey(JsonElement e) => string.Join(
        '|',
        e.TryGetProperty("s", out var s) ? s.GetRawText() : "",
        e.TryGetProperty("i", out var i) ? i.GetRawText() : "",
        e.TryGetProperty("I", out var execution) ? execution.GetRawText() : "",
        e.TryGetProperty("x", out var x) ? x.GetRawText() : "",
        e.TryGetProperty("X", out var status) ? status.GetRawText() : "",
        e.TryGetProperty("z", out var z) ? z.GetRawText() : "",
        e.TryGetProperty("t", out var t) ? t.GetRawText() : "",
        e.TryGetProperty("E", out var time) ? time.GetRawText() : "");

    // The last N keys, oldest forgotten first. Called under the delivery lock.
    private sealed class RecentKeys(int capacity)
    {
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public bool Add(string key)
        {
            if (!_keys.Add(key))
            {
                return false;
            }

            _order.Enqueue(key);
            if (_order.Count > capacity)
            {
                _keys.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}

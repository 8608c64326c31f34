using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace NaiveStrategy.Binance;

// Our order updates: the WebSocket API user data stream (session.logon with an Ed25519 key, then
// userDataStream.subscribe; userDataStream.subscribe.signature otherwise), executionReport → OrderUpdate, and the
// resync of every watched order after each confirmed subscription.
public sealed partial class BinanceExchange
{
    // An update for the subscriber: false for one older than what it has already seen (a resync's answer and the
    // stream race each other, and the exchange's fills only grow); a terminal one ends the watch.
    private bool Deliverable(OrderUpdate update)
    {
        var cid = update.ClientOrderId;
        if (update.Status.IsTerminal())
        {
            Unwatch(cid);
            _ended.Enqueue(cid);
            while (_ended.Count > EndedFeesKept && _ended.TryDequeue(out var oldest))
            {
                _fees.TryRemove(oldest, out _);
            }

            return true;
        }

        if (_executed.TryGetValue(cid, out var seen) && update.ExecutedQuantity < seen)
        {
            return false;
        }

        _open[cid] = update.Symbol;
        _executed[cid] = update.ExecutedQuantity;
        return true;
    }

    // The order is no longer asked for after a reconnection, and what was delivered of it is forgotten.
    private void Unwatch(string cid)
    {
        _open.TryRemove(cid, out _);
        _executed.TryRemove(cid, out _);
    }

    private Task RunUserDataStreamAsync(IObserver<OrderUpdate> observer, CancellationToken cancellationToken)
    {
        string? logonId = null;
        string? subscribeId = null;
        ClientWebSocket? current = null;
        var socket = new BinanceSocket("user data", () => _options.WebSocketApi, _options.ReconnectEvery, _time, _logger, healthyOnConnect: false);
        return socket.RunAsync(async ws =>
        {
            current = ws;
            if (_signer.KeyType == BinanceKeyType.Ed25519)
            {
                // An Ed25519 key logs the session on once; the subscription (and any later request) goes unsigned.
                logonId = Guid.NewGuid().ToString("N");
                subscribeId = null;
                await SendAsync(ws, new { id = logonId, method = "session.logon", @params = SignedParameters() }, cancellationToken);
            }
            else
            {
                logonId = null;
                subscribeId = Guid.NewGuid().ToString("N");
                await SendAsync(ws, new { id = subscribeId, method = "userDataStream.subscribe.signature", @params = SignedParameters() }, cancellationToken);
            }
        }, async message =>
        {
            var root = message.RootElement;
            if (root.TryGetProperty("status", out var status) && status.GetInt32() != 200)
            {
                var code = root.TryGetProperty("error", out var e) && e.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 0;
                if (code == -1021)
                {
                    // The clock drifted from Binance's (or was never synced): the next attempt signs with a fresh offset.
                    await _rest.SyncTimeAsync(cancellationToken);
                }

                var error = root.TryGetProperty("error", out var detail) ? detail.GetRawText() : root.GetRawText();
                if (BinanceRestClient.IsKeyRejection(code))
                {
                    // Named as such (readiness and logs), not as a generic failure: the key or its signature is wrong.
                    var said = detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("msg", out var m) ? m.GetString() ?? error : error;
                    _rest.RecordKeyRejection(BinanceRestClient.KeyRejected(code, said));
                    throw new InvalidOperationException($"API key or signature rejected by the user data stream ({code}: {said})");
                }

                throw new InvalidOperationException((logonId is not null && subscribeId is null ? "session logon refused: " : "user data subscription refused: ") + error);
            }

            var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            if (id is not null && id == logonId && subscribeId is null)
            {
                subscribeId = Guid.NewGuid().ToString("N");
                await SendAsync(current!, new { id = subscribeId, method = "userDataStream.subscribe" }, cancellationToken);
                return;
            }

            if (id is not null && id == subscribeId)
            {
                // Subscribed: from here on every event reaches this connection. Whatever happened before (while we
                // were connecting, or away) is asked for now, not earlier: an order that changed between an earlier
                // query and the subscription would be reported by neither.
                socket.MarkHealthy();
                _rest.RecordKeyAccepted();
                Log.Subscribed(_logger, _open.Count);
                await ResyncAsync(observer, cancellationToken);
                return;
            }

            var report = root.TryGetProperty("event", out var ev) ? ev : root;
            if (report.TryGetProperty("e", out var kind) && kind.GetString() == "serverShutdown")
            {
                // The server goes away soon: connect again now; the resync after the next subscription covers the gap.
                throw new InvalidOperationException("serverShutdown");
            }

            if (report.TryGetProperty("e", out var type) && type.GetString() == "executionReport")
            {
                var update = ExecutionReport(report);
                if (Deliverable(update))
                {
                    observer.OnNext(update);
                }
            }
        }, cancellationToken, _disposing.Token);
    }

    // apiKey, timestamp and the signature of both sorted by name, as the WebSocket API signs.
    private SortedDictionary<string, object> SignedParameters()
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() + _rest.OffsetMilliseconds;
        var payload = "apiKey=" + _options.ApiKey + "&timestamp=" + timestamp.ToString(CultureInfo.InvariantCulture);
        return new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["apiKey"] = _options.ApiKey!,
            ["signature"] = _signer.Sign(payload),
            ["timestamp"] = timestamp,
        };
    }

    private static Task SendAsync(ClientWebSocket socket, object request, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(request), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    // Every order placed here whose end the subscriber has not seen, as the exchange has it now.
    private async Task ResyncAsync(IObserver<OrderUpdate> observer, CancellationToken cancellationToken)
    {
        foreach (var (cid, symbol) in _open.ToArray())
        {
            var current = await GetOrderAsync(symbol, cid, cancellationToken);
            if (current.IsSuccess && Deliverable(current.Value))
            {
                observer.OnNext(current.Value);
            }
            else if (!current.IsSuccess && current.Error.Kind == ExchangeErrorKind.NotFound && !_sending.ContainsKey(cid))
            {
                // A "maybe placed" order that never got there (the engine resolves it, and resends under its own
                // watch): asking again at every reconnection would never end.
                Unwatch(cid);
                Log.OrderNotWatched(_logger, cid, symbol);
            }
        }
    }

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
            QuoteQuantity = e.TryGetProperty("o", out var type) && type.GetString() == "MARKET" && e.TryGetProperty("Z", out _) ? BinanceJson.Decimal(e, "Z") : null,
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
}

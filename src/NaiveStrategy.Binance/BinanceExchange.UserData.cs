using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace NaiveStrategy.Binance;

// Our order updates: the WebSocket API user data stream (session.logon with an Ed25519 key, then
// userDataStream.subscribe; userDataStream.subscribe.signature otherwise), executionReport → OrderUpdate, and the
// resync of every watched order after each confirmed subscription.
public sealed partial class BinanceExchange
{
    private readonly Lock _delivery = new();
    private readonly RecentKeys _recentEvents = new(4_096);
    private long _latestEventTime; // the latest event time (E) of a report delivered: an earlier one after it was reordered

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

    // One connection at a time, two during a handover (serverShutdown): the new one is opened and subscribed before the
    // old one is closed, so no event is missed; events both deliver meanwhile reach the subscriber once.
    private async Task RunUserDataStreamAsync(IObserver<OrderUpdate> observer, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        await new UserDataHandover(this, observer, linked.Token).RunAsync();
    }

    // The one place updates reach the subscriber: one at a time (two connections may deliver at once), an event seen
    // already (by its key: the other connection's copy) dropped, an update older than what was delivered dropped. A
    // report the exchange produced before one already delivered (its event time, in milliseconds, is earlier) reached
    // us out of order: it says so (Reordered), for parity reports.
    private void Deliver(IObserver<OrderUpdate> observer, OrderUpdate update, string? eventKey, long eventTime = 0)
    {
        lock (_delivery)
        {
            if (eventKey is not null && !_recentEvents.Add(eventKey))
            {
                return;
            }

            if (eventTime > 0 && eventTime < _latestEventTime)
            {
                update = update with { Reordered = true };
            }

            _latestEventTime = Math.Max(_latestEventTime, eventTime);

            if (Deliverable(update))
            {
                observer.OnNext(update);
            }
        }
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
            if (current.IsSuccess)
            {
                Deliver(observer, current.Value, eventKey: null);
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
}

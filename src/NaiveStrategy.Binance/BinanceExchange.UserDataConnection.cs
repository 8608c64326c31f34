using System.Net.WebSockets;
using System.Text.Json;

namespace NaiveStrategy.Binance;

// The user data stream's connections. Each logs on (Ed25519) and subscribes; a -1021 answer re-syncs the clock and
// sends the request again once on the same connection; a refused key is named as such. On serverShutdown a successor
// connection is opened and subscribed while the old one still delivers, then the old one is closed.
public sealed partial class BinanceExchange
{
    // How long the old connection stays open once its successor is subscribed: events Binance sent it just before the
    // successor's subscription began are still on their way on it.
    private static readonly TimeSpan HandoverGrace = TimeSpan.FromSeconds(1);

    private sealed class UserDataHandover(BinanceExchange owner, IObserver<OrderUpdate> observer, CancellationToken token)
    {
        private readonly Lock _gate = new();
        private readonly List<Task> _running = [];
        private UserDataConnection? _current;
        private UserDataConnection? _successor;

        public async Task RunAsync()
        {
            lock (_gate)
            {
                _current = Start();
            }

            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, owner._time, token);
            }
            catch (OperationCanceledException)
            {
                // Unsubscribed or disposed: the connections end on the same token.
            }

            Task[] running;
            lock (_gate)
            {
                running = [.. _running];
            }

            await Task.WhenAll(running);
        }

        // True when a successor takes over; false when this connection is not the one to hand over (already handing over).
        public bool ShutdownAnnounced(UserDataConnection connection)
        {
            lock (_gate)
            {
                if (connection != _current || _successor is not null)
                {
                    return false;
                }

                _successor = Start();
            }

            Log.HandingOver(owner._logger, "user data", "serverShutdown", 1);
            return true;
        }

        public void Subscribed(UserDataConnection connection)
        {
            lock (_gate)
            {
                if (connection == _successor)
                {
                    _running.Add(_current!.StopLaterAsync(owner._time, HandoverGrace));
                    (_current, _successor) = (connection, null);
                }
            }
        }

        // Called under the gate.
        private UserDataConnection Start()
        {
            _running.RemoveAll(t => t.IsCompleted);
            var connection = new UserDataConnection(owner, observer, this, token);
            _running.Add(Task.Run(connection.RunAsync, CancellationToken.None));
            return connection;
        }
    }

    private sealed class UserDataConnection(BinanceExchange owner, IObserver<OrderUpdate> observer, UserDataHandover handover, CancellationToken token)
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        private BinanceSocket? _socket;
        private volatile bool _handedOver;
        private ClientWebSocket? _ws;
        private string? _logonId;
        private string? _subscribeId;
        private bool _timestampRetried;

        // Once handed over, a drop ends this connection: the successor carries the subscription.
        private BinanceSocket Socket => _socket ??= new("user data", () => owner._options.WebSocketApi, owner._options.ReconnectEvery, owner._time, owner._logger, healthyOnConnect: false, reconnectWanted: () => !_handedOver);

        public Task RunAsync() => Socket.RunAsync(OnConnectedAsync, OnMessageAsync, _stop.Token, owner._disposing.Token);

        // The successor took over: this connection closes after the grace (its loop ends on the token).
        public async Task StopLaterAsync(TimeProvider time, TimeSpan grace)
        {
            try
            {
                await Task.Delay(grace, time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _stop.Cancel();
            Log.HandedOver(owner._logger, "user data");
        }

        private Task OnConnectedAsync(ClientWebSocket ws)
        {
            _ws = ws;
            _timestampRetried = false;
            return SendFirstAsync();
        }

        // An Ed25519 key logs the session on once, and the subscription (and any later request) goes unsigned.
        private Task SendFirstAsync()
        {
            if (owner._signer.KeyType == BinanceKeyType.Ed25519)
            {
                _logonId = Guid.NewGuid().ToString("N");
                _subscribeId = null;
                return SendAsync(_ws!, new { id = _logonId, method = "session.logon", @params = owner.SignedParameters() }, token);
            }

            _logonId = null;
            _subscribeId = Guid.NewGuid().ToString("N");
            return SendAsync(_ws!, new { id = _subscribeId, method = "userDataStream.subscribe.signature", @params = owner.SignedParameters() }, token);
        }

        private async Task OnMessageAsync(JsonDocument message)
        {
            var root = message.RootElement;
            if (root.TryGetProperty("status", out var status) && status.GetInt32() != 200)
            {
                await RefusedAsync(root);
                return;
            }

            var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            if (id is not null && id == _logonId && _subscribeId is null)
            {
                _subscribeId = Guid.NewGuid().ToString("N");
                await SendAsync(_ws!, new { id = _subscribeId, method = "userDataStream.subscribe" }, token);
                return;
            }

            if (id is not null && id == _subscribeId)
            {
                // Subscribed: from here on every event reaches this connection. Whatever happened before (while we
                // were connecting, or away) is asked for now, not earlier: an order that changed between an earlier
                // query and the subscription would be reported by neither.
                Socket.MarkHealthy();
                owner._rest.RecordKeyAccepted();
                Log.Subscribed(owner._logger, owner._open.Count);
                handover.Subscribed(this);
                await owner.ResyncAsync(observer, token);
                return;
            }

            var report = root.TryGetProperty("event", out var ev) ? ev : root;
            var type = report.TryGetProperty("e", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (type == "serverShutdown")
            {
                if (!handover.ShutdownAnnounced(this))
                {
                    // Not the connection to hand over (a successor already is on its way): connect again now.
                    throw new InvalidOperationException("serverShutdown");
                }

                _handedOver = true;
            }

            if (type == "eventStreamTerminated")
            {
                // The subscription ended while the connection stays open (user-data-stream.md, "Event Stream
                // Terminated"): no event would reach it any more. Connect and subscribe again, which resyncs.
                throw new InvalidOperationException("eventStreamTerminated: Binance ended the user data subscription");
            }

            if (type == "executionReport")
            {
                owner.Deliver(observer, owner.ExecutionReport(report), EventKey(report), report.TryGetProperty("E", out var time) && time.TryGetInt64(out var ms) ? ms : 0);
            }
        }

        private async Task RefusedAsync(JsonElement root)
        {
            var code = root.TryGetProperty("error", out var e) && e.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 0;
            if (code == -1021)
            {
                // The clock drifted from Binance's (or was never synced): re-sync, and ask once more on this connection.
                await owner._rest.SyncTimeAsync(token);
                if (!_timestampRetried)
                {
                    _timestampRetried = true;
                    await SendFirstAsync();
                    return;
                }
            }

            var error = root.TryGetProperty("error", out var detail) ? detail.GetRawText() : root.GetRawText();
            if (BinanceRestClient.IsKeyRejection(code))
            {
                // Named as such (readiness and logs), not as a generic failure: the key or its signature is wrong.
                var said = detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("msg", out var m) ? m.GetString() ?? error : error;
                owner._rest.RecordKeyRejection(BinanceRestClient.KeyRejected(code, said));
                throw new InvalidOperationException($"API key or signature rejected by the user data stream ({code}: {said})");
            }

            throw new InvalidOperationException((_logonId is not null && _subscribeId is null ? "session logon refused: " : "user data subscription refused: ") + error);
        }
    }
}

using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance;

// One combined-stream connection: its streams, its control messages, its socket.
public sealed partial class BinanceMarketData
{
    // One combined-stream connection and the streams it should carry. The URL carries the first streams (a URL has a
    // length limit), a SUBSCRIBE the rest; later changes are batched into at most 4 control messages a second (Binance
    // disconnects a connection that sends more than 5).
    private sealed class StreamConnection(BinanceMarketData owner, int number)
    {
        private const int StreamsInUrl = 100;
        private const int ControlMessagesPerSecond = 4;
        private static readonly TimeSpan ControlTick = TimeSpan.FromMilliseconds(250);

        private readonly Dictionary<string, SymbolFeed> _feeds = new(StringComparer.Ordinal);
        private readonly HashSet<string> _toSubscribe = new(StringComparer.Ordinal);
        private readonly HashSet<string> _toUnsubscribe = new(StringComparer.Ordinal);
        private readonly Dictionary<long, string[]> _awaitingAck = [];
        private readonly Queue<DateTimeOffset> _sent = new();
        private volatile bool _stopped;
        private Action? _stop;
        private Action? _whenSubscribed;
        private long _nextId;

        public string Name { get; } = "market streams #" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private volatile bool _retiring;

        // Handed over: its successor carries its streams, so a drop ends it instead of reconnecting.
        public bool Retiring { get => _retiring; set => _retiring = value; }

        public int Count
        {
            get
            {
                lock (_feeds)
                {
                    return _feeds.Count;
                }
            }
        }

        public IReadOnlyCollection<SymbolFeed> Feeds
        {
            get
            {
                lock (_feeds)
                {
                    return _feeds.Values.ToArray();
                }
            }
        }

        public void Add(SymbolFeed feed)
        {
            feed.Connection = this;
            lock (_feeds)
            {
                _feeds[feed.Stream] = feed;
                _toUnsubscribe.Remove(feed.Stream);
                _toSubscribe.Add(feed.Stream);
            }
        }

        public void Remove(SymbolFeed feed)
        {
            lock (_feeds)
            {
                _feeds.Remove(feed.Stream);
                _toSubscribe.Remove(feed.Stream);
                _toUnsubscribe.Add(feed.Stream);
            }
        }

        public void WhenSubscribed(Action action)
        {
            lock (_feeds)
            {
                _whenSubscribed = action;
            }
        }

        public void Start(CancellationToken disposing) => _ = RunAsync(disposing);

        public void Stop()
        {
            _stopped = true;
            Volatile.Read(ref _stop)?.Invoke();
        }

        private async Task RunAsync(CancellationToken disposing)
        {
            using var stop = new CancellationTokenSource();
            Volatile.Write(ref _stop, stop.Cancel);
            if (_stopped)
            {
                return;
            }

            var socket = new BinanceSocket(Name, Url, owner._options.ReconnectEvery + TimeSpan.FromMinutes(30), owner._time, owner._logger, attempts: owner._attempts, reconnectWanted: () => !Retiring);
            await socket.RunAsync(ws =>
            {
                _ = ControlLoopAsync(ws, disposing);
                return Task.CompletedTask;
            }, message =>
            {
                OnMessage(message.RootElement);
                return Task.CompletedTask;
            }, stop.Token, disposing);
            Volatile.Write(ref _stop, null);
            if (Retiring && !disposing.IsCancellationRequested)
            {
                owner.Retired(this);
            }
        }

        private Uri Url()
        {
            string[] inUrl;
            lock (_feeds)
            {
                // Everything is subscribed again on a new connection: the first streams by URL, the rest by SUBSCRIBE.
                _awaitingAck.Clear();
                _toUnsubscribe.Clear();
                _toSubscribe.Clear();
                inUrl = _feeds.Keys.Take(StreamsInUrl).ToArray();
                foreach (var stream in _feeds.Keys.Skip(StreamsInUrl))
                {
                    _toSubscribe.Add(stream);
                }
            }

            return new Uri(owner._options.Streams, "/stream?streams=" + string.Join('/', inUrl));
        }

        private async Task ControlLoopAsync(System.Net.WebSockets.ClientWebSocket socket, CancellationToken disposing)
        {
            var opened = owner._time.GetUtcNow();
            try
            {
                while (socket.State == System.Net.WebSockets.WebSocketState.Open && !_stopped)
                {
                    if (owner._time.GetUtcNow() - opened >= owner._options.ReconnectEvery)
                    {
                        owner.HandOver(this, "24 h limit near");
                    }

                    foreach (var message in TakeControlMessages())
                    {
                        await socket.SendAsync(message, System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, disposing);
                    }

                    CheckSubscribed();
                    await Task.Delay(ControlTick, owner._time, disposing);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
            {
                // The receive loop sees the same end and reconnects.
            }
        }

        private List<byte[]> TakeControlMessages()
        {
            var messages = new List<byte[]>();
            var now = owner._time.GetUtcNow();
            lock (_feeds)
            {
                while (_sent.Count > 0 && now - _sent.Peek() >= TimeSpan.FromSeconds(1))
                {
                    _sent.Dequeue();
                }

                foreach (var (method, streams) in new[] { ("SUBSCRIBE", _toSubscribe), ("UNSUBSCRIBE", _toUnsubscribe) })
                {
                    if (streams.Count == 0 || _sent.Count >= ControlMessagesPerSecond)
                    {
                        continue;
                    }

                    var id = ++_nextId;
                    var names = streams.ToArray();
                    streams.Clear();
                    if (method == "SUBSCRIBE")
                    {
                        _awaitingAck[id] = names;
                    }

                    _sent.Enqueue(now);
                    messages.Add(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { method, @params = names, id }));
                }
            }

            return messages;
        }

        private void CheckSubscribed()
        {
            Action? action = null;
            lock (_feeds)
            {
                if (_whenSubscribed is not null && _toSubscribe.Count == 0 && _awaitingAck.Count == 0)
                {
                    (action, _whenSubscribed) = (_whenSubscribed, null);
                }
            }

            action?.Invoke();
        }

        private void OnMessage(System.Text.Json.JsonElement root)
        {
            if (root.TryGetProperty("data", out var data) && root.TryGetProperty("stream", out var stream))
            {
                var type = data.TryGetProperty("e", out var e) ? e.GetString() : null;
                if (type == "trade")
                {
                    owner.Deliver(stream.GetString()!, data);
                }
                else if (type == "serverShutdown")
                {
                    owner.HandOver(this, "serverShutdown");
                }

                return;
            }

            if (root.TryGetProperty("e", out var raw) && raw.GetString() == "serverShutdown")
            {
                owner.HandOver(this, "serverShutdown");
                return;
            }

            if (root.TryGetProperty("id", out var idElement) && idElement.TryGetInt64(out var id))
            {
                lock (_feeds)
                {
                    _awaitingAck.Remove(id, out var names);
                    if (root.TryGetProperty("error", out var error) && names is not null)
                    {
                        Log.BadMessage(owner._logger, Name, "SUBSCRIBE refused: " + error.GetRawText());
                    }
                }
            }
        }
    }
}

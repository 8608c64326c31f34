using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// One market stream connection: raw (<c>/ws/&lt;stream&gt;</c>) or combined (<c>/stream?streams=a/b</c>, payloads wrapped
/// as <c>{"stream","data"}</c>), with SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS. Only <c>&lt;symbol&gt;@trade</c> carries data.
/// </summary>
internal sealed class MarketStreamSession(SandboxEngine engine, SocketConnection connection, bool combined) : ISocketSession
{
    /// <summary>Binance: a connection carries at most 1024 streams.</summary>
    public const int MaxStreams = 1024;

    /// <summary>Longer than any real stream name; bounds what one connection can make the server hold.</summary>
    public const int MaxStreamNameLength = 128;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, IDisposable> _streams = new(StringComparer.Ordinal);
    private readonly Queue<long> _incoming = new();

    /// <summary>Why these streams cannot be subscribed on one connection (bad name, too many), or null.</summary>
    public static string? Check(IReadOnlyCollection<string> streams)
    {
        if (streams.FirstOrDefault(s => s.Length is 0 or > MaxStreamNameLength) is { } bad)
        {
            return $"Invalid request: invalid stream name '{(bad.Length > 32 ? bad[..32] + "…" : bad)}' (1 to {MaxStreamNameLength} characters)";
        }

        return streams.Distinct(StringComparer.Ordinal).Count() > MaxStreams ? $"Invalid request: too many streams; a connection carries at most {MaxStreams}" : null;
    }

    /// <summary>Adds the streams; null when done, else the reason none was added.</summary>
    public string? Subscribe(IReadOnlyCollection<string> streams)
    {
        if (Check(streams) is { } error)
        {
            return error;
        }

        lock (_gate)
        {
            if (_streams.Count + streams.Count(s => !_streams.ContainsKey(s)) > MaxStreams)
            {
                return $"Invalid request: too many streams; a connection carries at most {MaxStreams}";
            }

            foreach (var stream in streams)
            {
                if (_streams.ContainsKey(stream))
                {
                    continue;
                }

                // Only listed symbols reach the exchange: a name is kept per connection, never per server.
                var at = stream.IndexOf('@', StringComparison.Ordinal);
                var symbol = at > 0 ? stream[..at].ToUpperInvariant() : string.Empty;
                IDisposable subscription = at > 0 && stream[(at + 1)..] == "trade" && engine.Symbols.ContainsKey(symbol)
                    ? engine.Exchange.MarketTrades(symbol).Subscribe(new TradeObserver(this, stream))
                    : EmptyDisposable.Instance;
                _streams[stream] = subscription;
            }
        }

        return null;
    }

    public void Close()
    {
        lock (_gate)
        {
            foreach (var subscription in _streams.Values)
            {
                subscription.Dispose();
            }

            _streams.Clear();
        }
    }

    // Binance's stream errors: 0 unknown property, 1 invalid value type, 2 invalid request, 3 invalid JSON.
    public ValueTask OnTextAsync(string text, CancellationToken cancellationToken)
    {
        if (TooManyMessages())
        {
            connection.Abort();
            return ValueTask.CompletedTask;
        }

        JsonNode? id = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                ReplyError(null, 3, "Invalid JSON: expected an object");
                return ValueTask.CompletedTask;
            }

            if (!RequestId.TryRead(root, out id))
            {
                ReplyError(null, 2, "Invalid request: request ID must be an integer, a string or null");
                return ValueTask.CompletedTask;
            }

            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            string[] names = [];
            if (root.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null)
            {
                if (p.ValueKind != JsonValueKind.Array || p.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                {
                    ReplyError(id, 1, "Invalid value type: expected an array of stream names");
                    return ValueTask.CompletedTask;
                }

                names = p.EnumerateArray().Select(e => e.GetString()!).ToArray();
            }

            JsonNode? result = null;
            switch (method)
            {
                case "SUBSCRIBE":
                    if (Subscribe(names) is { } error)
                    {
                        ReplyError(id, 2, error);
                        return ValueTask.CompletedTask;
                    }

                    break;
                case "UNSUBSCRIBE":
                    Unsubscribe(names);
                    break;
                case "LIST_SUBSCRIPTIONS":
                    lock (_gate)
                    {
                        result = new JsonArray(_streams.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode)k).ToArray());
                    }

                    break;
                case null:
                    ReplyError(id, 2, "Invalid request: missing field `method`");
                    return ValueTask.CompletedTask;
                default:
                    ReplyError(id, 2, $"Invalid request: unknown method '{method}', expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS");
                    return ValueTask.CompletedTask;
            }

            Reply(new JsonObject { ["result"] = result, ["id"] = id });
        }
        catch (JsonException ex)
        {
            ReplyError(null, 3, "Invalid JSON: " + ex.Message);
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") the reader cannot turn into a string.
            ReplyError(id, 3, "Invalid JSON: a string holds an invalid escape sequence");
        }

        return ValueTask.CompletedTask;
    }

    private bool TooManyMessages()
    {
        var now = engine.NowMs;
        lock (_gate)
        {
            while (_incoming.Count > 0 && now - _incoming.Peek() >= 1000)
            {
                _incoming.Dequeue();
            }

            _incoming.Enqueue(now);
            return _incoming.Count > engine.IncomingMessagesPerSecond; // Binance: 5, more and the connection is cut
        }
    }

    public void OnBinary() => ReplyError(null, 3, "Invalid JSON: requests are JSON in text frames; got a binary frame");

    private void Unsubscribe(IEnumerable<string> streams)
    {
        lock (_gate)
        {
            foreach (var stream in streams)
            {
                if (_streams.Remove(stream, out var subscription))
                {
                    subscription.Dispose();
                }
            }
        }
    }

    private void Reply(JsonObject message) => connection.TrySend(message.ToJsonString());

    private void ReplyError(JsonNode? id, int code, string message) =>
        Reply(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["msg"] = message }, ["id"] = id });

    private void OnTrade(string stream, TradeEvent trade)
    {
        var data = BinanceJson.Trade(trade, engine.NowMs);
        connection.TrySend(combined ? new JsonObject { ["stream"] = stream, ["data"] = data }.ToJsonString() : data.ToJsonString());
    }

    private sealed class TradeObserver(MarketStreamSession session, string stream) : IObserver<TradeEvent>
    {
        public void OnNext(TradeEvent value) => session.OnTrade(stream, value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }

    private sealed class EmptyDisposable : IDisposable
    {
        public static readonly EmptyDisposable Instance = new();

        public void Dispose()
        {
        }
    }

    internal static string[] ParseStreams(string? list) =>
        string.IsNullOrEmpty(list) ? [] : list.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToLower(CultureInfo.InvariantCulture)).ToArray();
}

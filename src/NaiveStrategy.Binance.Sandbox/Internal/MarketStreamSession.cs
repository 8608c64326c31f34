using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// One market stream connection: raw (<c>/ws/&lt;stream&gt;</c>) or combined (<c>/stream?streams=a/b</c>, payloads wrapped
/// as <c>{"stream","data"}</c>), with SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS. Only <c>&lt;symbol&gt;@trade</c> carries data.
/// </summary>
internal sealed class MarketStreamSession(SandboxEngine engine, SocketConnection connection, bool combined)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IDisposable> _streams = new(StringComparer.Ordinal);

    public void Subscribe(IEnumerable<string> streams)
    {
        lock (_gate)
        {
            foreach (var stream in streams)
            {
                if (_streams.ContainsKey(stream))
                {
                    continue;
                }

                var name = stream;
                var at = name.IndexOf('@', StringComparison.Ordinal);
                IDisposable subscription = at > 0 && name[(at + 1)..] == "trade"
                    ? engine.Exchange.MarketTrades(name[..at].ToUpperInvariant()).Subscribe(new TradeObserver(this, name))
                    : EmptyDisposable.Instance;
                _streams[name] = subscription;
            }
        }
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

    public ValueTask OnMessageAsync(string text)
    {
        JsonNode? id = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.TryGetProperty("id", out var idElement))
            {
                id = JsonNode.Parse(idElement.GetRawText());
            }

            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var names = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Array
                ? p.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                : [];
            JsonNode? result = null;
            switch (method)
            {
                case "SUBSCRIBE":
                    Subscribe(names);
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
                default:
                    Reply(new JsonObject { ["error"] = new JsonObject { ["code"] = 2, ["msg"] = $"Invalid request: unknown method '{method}'" }, ["id"] = id });
                    return ValueTask.CompletedTask;
            }

            Reply(new JsonObject { ["result"] = result, ["id"] = id });
        }
        catch (JsonException ex)
        {
            Reply(new JsonObject { ["error"] = new JsonObject { ["code"] = 3, ["msg"] = "Invalid JSON: " + ex.Message }, ["id"] = id });
        }

        return ValueTask.CompletedTask;
    }

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

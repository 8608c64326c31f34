using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// One WebSocket API connection: <c>{"id","method","params"}</c> requests answered as
/// <c>{"id","status","result"|"error","rateLimits"}</c>, plus this connection's user data subscriptions.
/// </summary>
internal sealed class WebSocketApiSession
{
    private readonly SandboxEngine _engine;
    private readonly SocketConnection _connection;
    private readonly string _ip;
    private readonly Dictionary<string, ApiEndpoint> _ownMethods;

    public WebSocketApiSession(SandboxEngine engine, SocketConnection connection, string ip)
    {
        _engine = engine;
        _connection = connection;
        _ip = ip;
        _ownMethods = new Dictionary<string, ApiEndpoint>(StringComparer.Ordinal)
        {
            ["userDataStream.subscribe.signature"] = new(_ => 2, true, false, (_, _) => new(new JsonObject { ["subscriptionId"] = _engine.Subscribe(_connection) })),
            ["userDataStream.unsubscribe"] = new(_ => 2, false, false, (r, _) => new(Unsubscribe(r))),
            ["session.subscriptions"] = new(_ => 2, false, false, (_, _) => new(Subscriptions())),
        };
    }

    public void Close()
    {
        foreach (var id in _engine.SubscriptionsOf(_connection).ToArray())
        {
            _engine.Unsubscribe(id);
        }
    }

    public async ValueTask OnMessageAsync(string text, CancellationToken cancellationToken)
    {
        JsonNode? id = null;
        string? method;
        Dictionary<string, string> parameters;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.TryGetProperty("id", out var idElement))
            {
                id = JsonNode.Parse(idElement.GetRawText());
            }

            method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            parameters = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object ? ToStrings(p) : [];
        }
        catch (JsonException)
        {
            Send(null, new ApiResponse(new ApiError(400, -1100, "Malformed request: invalid JSON."), 0, null, null));
            return;
        }

        if (method is null)
        {
            Send(id, new ApiResponse(ApiError.Mandatory("method"), 0, null, null));
            return;
        }

        if (!_ownMethods.TryGetValue(method, out var endpoint) && !_engine.WebSocketMethods.TryGetValue(method, out endpoint))
        {
            Send(id, new ApiResponse(new ApiError(400, -1020, $"Unsupported operation: {method}."), 0, null, null));
            return;
        }

        var request = new ApiRequest(_ip, parameters.GetValueOrDefault("apiKey"), parameters, Signature.WebSocketPayloads(parameters));
        Send(id, await _engine.ExecuteAsync(endpoint, request, cancellationToken));
    }

    private static Dictionary<string, string> ToStrings(JsonElement parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in parameters.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => property.Value.GetRawText(),
            };
        }

        return result;
    }

    private JsonNode Unsubscribe(ApiRequest request)
    {
        if (request.Get("subscriptionId") is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var one))
        {
            if (_engine.SubscriptionsOf(_connection).Contains(one))
            {
                _engine.Unsubscribe(one);
            }
        }
        else
        {
            Close();
        }

        return new JsonObject();
    }

    private JsonArray Subscriptions() =>
        new(_engine.SubscriptionsOf(_connection).Select(id => (JsonNode)new JsonObject { ["subscriptionId"] = id }).ToArray());

    private void Send(JsonNode? id, ApiResponse response)
    {
        var rateLimits = new JsonArray(new JsonObject
        {
            ["rateLimitType"] = "REQUEST_WEIGHT", ["interval"] = "MINUTE", ["intervalNum"] = 1, ["limit"] = _engine.WeightLimit, ["count"] = response.UsedWeight,
        });
        if (response.OrderCount10S is { } tenSeconds)
        {
            rateLimits.Add(new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "SECOND", ["intervalNum"] = 10, ["limit"] = 100, ["count"] = tenSeconds });
            rateLimits.Add(new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "DAY", ["intervalNum"] = 1, ["limit"] = 200_000, ["count"] = response.OrderCount1D });
        }

        var message = new JsonObject { ["id"] = id, ["status"] = response.Result.Error?.Status ?? 200 };
        if (response.Result.Error is { } error)
        {
            var body = error.ToJson();
            if (error.RetryAfter is { } retryAfter)
            {
                body["data"] = new JsonObject { ["serverTime"] = _engine.NowMs, ["retryAfter"] = _engine.NowMs + (long)retryAfter.TotalMilliseconds };
            }

            message["error"] = body;
        }
        else
        {
            message["result"] = response.Result.Result;
        }

        message["rateLimits"] = rateLimits;
        _connection.TrySend(message.ToJsonString());
    }
}

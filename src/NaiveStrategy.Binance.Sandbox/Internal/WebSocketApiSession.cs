using System.Globalization;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// One WebSocket API connection: <c>{"id","method","params"}</c> requests answered as
/// <c>{"id","status","result"|"error","rateLimits"}</c>, plus this connection's user data subscriptions.
/// </summary>
internal sealed class WebSocketApiSession : ISocketSession
{
    private readonly SandboxEngine _engine;
    private readonly SocketConnection _connection;
    private readonly string _ip;
    private readonly Dictionary<string, ApiEndpoint> _ownMethods;
    private readonly HashSet<long> _logonSubscriptions = [];
    private readonly List<long> _ending = []; // subscriptions a request ended: terminated once it is answered
    private readonly long _connectedSince;
    private readonly bool _microseconds;
    private string? _sessionKey;
    private long? _authorizedSince;

    public WebSocketApiSession(SandboxEngine engine, SocketConnection connection, string ip, bool microseconds = false)
    {
        _microseconds = microseconds;
        _engine = engine;
        _connection = connection;
        _ip = ip;
        _connectedSince = engine.NowMs;
        _ownMethods = new Dictionary<string, ApiEndpoint>(StringComparer.Ordinal)
        {
            ["userDataStream.subscribe.signature"] = new(_ => 2, true, false, (_, _) => new(Subscribe())),
            ["userDataStream.subscribe"] = new(_ => 2, false, false, (_, _) => new(SubscribeAsLoggedOn())),
            ["session.logon"] = new(_ => 2, true, false, (r, _) => new(Logon(r))),
            ["session.status"] = new(_ => 2, false, false, (_, _) => new(Status())),
            ["session.logout"] = new(_ => 2, false, false, (_, _) => new(Logout())),
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

    public async ValueTask OnTextAsync(string text, CancellationToken cancellationToken)
    {
        if (WebSocketApiRequest.Parse(text, out var id, out var error) is not { } request)
        {
            SendError(id, error!);
            return;
        }

        if (!_ownMethods.TryGetValue(request.Method, out var endpoint) && !_engine.WebSocketMethods.TryGetValue(request.Method, out endpoint))
        {
            SendError(id, new ApiError(400, -1020, $"Unsupported operation: {request.Method}."));
            return;
        }

        var parameters = request.Parameters;
        var givenKey = parameters.GetValueOrDefault("apiKey");

        // After session.logon a request may leave out apiKey and signature: it runs as the session's key.
        var asSession = _sessionKey is not null && request.Method != "session.logon" && givenKey is null && !parameters.ContainsKey("signature");
        var apiRequest = new ApiRequest(_ip, asSession ? _sessionKey : givenKey, parameters, Signature.WebSocketPayloads(parameters), asSession);
        ApiResponse response;
        try
        {
            response = await _engine.ExecuteAsync(endpoint, apiRequest, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _engine.ReportUnexpected("WebSocket API", ex);
            response = new ApiResponse(ApiError.Unknown(), 0, null, null);
        }

        Send(id, response);

        // A subscription the request ended hears of it (eventStreamTerminated) after the answer: "after sending
        // session.logout", as user-data-stream.md puts it.
        foreach (var ended in _ending)
        {
            _engine.Terminate(ended);
        }

        _ending.Clear();
    }

    public void OnBinary() => SendError(null, ApiError.InvalidJson("requests are JSON in text frames; got a binary frame."));

    // Binance: without subscriptionId every subscription of the session ends; a malformed one is an error, not "all".
    private ApiResult Unsubscribe(ApiRequest request)
    {
        if (request.Get("subscriptionId") is not { } text)
        {
            _ending.AddRange(_engine.SubscriptionsOf(_connection));
        }
        else if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var one))
        {
            return ApiError.Illegal("subscriptionId", "^[0-9]{1,19}$");
        }
        else if (_engine.SubscriptionsOf(_connection).Contains(one))
        {
            _ending.Add(one);
        }

        return new JsonObject();
    }

    // Only an Ed25519 key can log a session on (the signature was checked like any signed request's).
    private ApiResult Logon(ApiRequest request)
    {
        var kind = _engine.KindOf(request.ApiKey!);
        if (kind != KeyKind.Ed25519)
        {
            return new ApiError(400, -4056, $"{(kind == KeyKind.Hmac ? "HMAC_SHA256" : "RSA")} API key is not supported.");
        }

        _sessionKey = request.ApiKey;
        _authorizedSince = _engine.NowMs;
        return Status();
    }

    // Forgets the key; ends the subscriptions made as the logged-on session, not those made with a signature.
    private JsonObject Logout()
    {
        _ending.AddRange(_logonSubscriptions);

        _logonSubscriptions.Clear();
        _sessionKey = null;
        _authorizedSince = null;
        return Status();
    }

    private ApiResult SubscribeAsLoggedOn()
    {
        if (_sessionKey is null)
        {
            return new ApiError(401, -1002, "You are not authorized to execute this request.");
        }

        var subscribed = Subscribe();
        if (subscribed.Error is null && subscribed.Result is JsonObject body && body["subscriptionId"] is JsonNode id)
        {
            _logonSubscriptions.Add(id.GetValue<long>());
        }

        return subscribed;
    }

    private JsonObject Status() => new()
    {
        ["apiKey"] = _sessionKey,
        ["authorizedSince"] = _authorizedSince,
        ["connectedSince"] = _connectedSince,
        ["returnRateLimits"] = true,
        ["serverTime"] = _engine.NowMs,
        ["userDataStream"] = _engine.SubscriptionsOf(_connection).Except(_ending).Any(),
    };

    // Binance allows one user data subscription per account and connection: a second is -2035.
    private ApiResult Subscribe() =>
        _engine.SubscriptionsOf(_connection).Any()
            ? new ApiError(400, -2035, "User Data Stream subscription already active.")
            : new JsonObject { ["subscriptionId"] = _engine.Subscribe(_connection, _microseconds) };

    private JsonArray Subscriptions() =>
        new(_engine.SubscriptionsOf(_connection).Select(id => (JsonNode)new JsonObject { ["subscriptionId"] = id }).ToArray());

    private void SendError(JsonNode? id, ApiError error) => Send(id, new ApiResponse(error, 0, null, null));

    private void Send(JsonNode? id, ApiResponse response)
    {
        var rateLimits = new JsonArray(new JsonObject
        {
            ["rateLimitType"] = "REQUEST_WEIGHT", ["interval"] = "MINUTE", ["intervalNum"] = 1, ["limit"] = _engine.WeightLimit, ["count"] = response.UsedWeight,
        });
        if (response.OrderCount10S is { } tenSeconds)
        {
            rateLimits.Add(new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "SECOND", ["intervalNum"] = 10, ["limit"] = _engine.OrdersPer10Seconds, ["count"] = tenSeconds });
            rateLimits.Add(new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "DAY", ["intervalNum"] = 1, ["limit"] = _engine.OrdersPerDay, ["count"] = response.OrderCount1D });
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
            message["result"] = _microseconds ? TimeUnits.ToMicroseconds(response.Result.Result) : response.Result.Result;
        }

        message["rateLimits"] = rateLimits;
        _connection.TrySend(message.ToJsonString());
    }
}

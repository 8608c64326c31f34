using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Tests;

/// <summary>A generated WebSocket message and the id the answer must carry when the generator knows it.</summary>
internal sealed record FuzzMessage(string Text, bool Binary, bool IdKnown, string? ExpectedIdJson);

/// <summary>A generated REST request.</summary>
internal sealed record FuzzRestRequest(string Method, string Path, string RawQuery, string RawBody, string? ApiKey);

/// <summary>
/// Seeded generator of malformed and almost-valid sandbox requests: garbage, JSON of the wrong shape, well-formed
/// requests with hostile values (signed correctly about half the time, so the handlers behind the signature check are
/// reached), and byte-level mutations of those. The same seed gives the same cases.
/// </summary>
internal sealed class RequestFuzzer(int seed)
{
    public static readonly string[] WebSocketMethods =
    [
        "ping", "time", "exchangeInfo", "order.place", "order.status", "order.cancel", "openOrders.status", "account.status", "myTrades",
        "userDataStream.subscribe.signature", "userDataStream.unsubscribe", "session.subscriptions",
    ];

    private static readonly string[] SignedMethods = ["order.place", "order.status", "order.cancel", "openOrders.status", "account.status", "myTrades", "userDataStream.subscribe.signature"];

    private static readonly (string Method, string Path)[] RestEndpoints =
    [
        ("GET", "/api/v3/ping"), ("GET", "/api/v3/time"), ("GET", "/api/v3/exchangeInfo"), ("POST", "/api/v3/order"), ("GET", "/api/v3/order"),
        ("DELETE", "/api/v3/order"), ("GET", "/api/v3/openOrders"), ("GET", "/api/v3/account"), ("GET", "/api/v3/myTrades"),
    ];

    private static readonly string[] ParameterNames =
    [
        "symbol", "symbols", "side", "type", "timeInForce", "quantity", "price", "newClientOrderId", "newOrderRespType", "orderId",
        "origClientOrderId", "limit", "recvWindow", "timestamp", "signature", "apiKey", "subscriptionId", "omitZeroBalances", "",
    ];

    private static readonly string[] Values =
    [
        "", "0", "-1", "1", "100", "0.5", "0.5000", "0.49990000", ".5", "5.", "1e5", "1e400", "-1e400", "NaN", "Infinity", "-Infinity",
        "99999999999999999999", "99999999999999999999999999999999", "79228162514264337593543950335", "0.0000000000000000000000000000001",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648", " 1", "1 ", "1,5", "١٢", "+1", "0x10",
        "XRPUSDT", "xrpusdt", "NOPE", "BTCUSDT", "[\"XRPUSDT\"]", "[\"XRPUSDT\",\"XRPUSDT\"]", "[null]", "[1]", "[]", "{}", "[", "\"", "\\",
        "%", "%ZZ", "%00", "%FF", "&", "=", "+", "?", "#", "\u0000", "\ud800", "\udc00x", "é", "🙂", "BUY", "SELL", "buy", "LIMIT", "MARKET", "GTC",
        "IOC", "ACK", "RESULT", "FULL", "id-1", "a/b:c.d_e-f", new string('x', 37), new string('9', 300), "true", "false", "null",
    ];

    private readonly Random _random = new(seed);
    private readonly List<string> _clientOrderIds = ["id-1"];

    public int Seed { get; } = seed;

    public FuzzMessage WebSocketApiMessage() => _random.Next(10) switch
    {
        0 => new FuzzMessage(Garbage(), false, false, null),
        1 => new FuzzMessage(JsonOfWrongShape(), false, true, "null"),
        2 => new FuzzMessage(Garbage(), true, true, "null"),
        3 or 4 => Mutated(StructuredApiRequest()),
        _ => StructuredApiRequest(),
    };

    public FuzzMessage StreamMessage()
    {
        if (_random.Next(5) == 0)
        {
            return new FuzzMessage(_random.Next(2) == 0 ? Garbage() : JsonOfWrongShape(), _random.Next(6) == 0, false, null);
        }

        var message = new JsonObject();
        var (idKnown, idJson) = MaybeId(message);
        if (_random.Next(8) != 0)
        {
            message["method"] = _random.Next(6) == 0 ? RandomJson(1) : Pick("SUBSCRIBE", "UNSUBSCRIBE", "LIST_SUBSCRIPTIONS", "SET_PROPERTY", "subscribe", RandomString());
        }

        if (_random.Next(4) != 0)
        {
            message["params"] = _random.Next(5) == 0
                ? RandomJson(2)
                : new JsonArray(Enumerable.Range(0, _random.Next(6)).Select(_ => _random.Next(6) == 0 ? RandomJson(1) : (JsonNode)StreamName()).ToArray());
        }

        var text = message.ToJsonString();
        return _random.Next(4) == 0 ? Mutated(new FuzzMessage(text, false, false, null)) : new FuzzMessage(text, false, idKnown, idJson);
    }

    public FuzzRestRequest RestRequest()
    {
        var (method, path) = _random.Next(10) switch
        {
            0 => (Pick("GET", "POST", "DELETE", "PUT", "PATCH"), "/api/v3/" + RandomString()),
            1 => (Pick("PUT", "PATCH", "POST"), PickFrom(RestEndpoints).Path),
            _ => PickFrom(RestEndpoints),
        };
        var parameters = HostileParameters(Operation(method, path));
        var signed = _random.Next(2) == 0;
        if (signed)
        {
            parameters.RemoveAll(p => p.Name is "timestamp" or "signature");
            parameters.Add(("timestamp", Now()));
        }

        var inBody = _random.Next(4) == 0 ? _random.Next(parameters.Count + 1) : 0;
        var query = Encode(parameters.Skip(inBody));
        var body = Encode(parameters.Take(inBody));
        if (signed)
        {
            var signature = SandboxHarness.Sign(query + body);
            if (query.Length > 0 || body.Length == 0)
            {
                query += (query.Length > 0 ? "&" : string.Empty) + "signature=" + signature;
            }
            else
            {
                body += "&signature=" + signature;
            }
        }

        if (_random.Next(8) == 0)
        {
            query = MutateText(query);
        }

        var apiKey = _random.Next(6) switch
        {
            0 => null,
            1 => RandomString(),
            _ => SandboxHarness.ApiKey,
        };
        return new FuzzRestRequest(method, path, query.Length == 0 ? string.Empty : "?" + query, body, apiKey);
    }

    /// <summary>A control request; never a paced replay (speed is 0, Infinity or invalid) so no case waits.</summary>
    public (string Path, string RawQuery, string Body) ControlRequest()
    {
        var path = _random.Next(10) switch
        {
            0 => "/sandbox/" + RandomString(),
            1 => "/sandbox/drop",
            2 or 3 => "/sandbox/faults",
            _ => "/sandbox/trades",
        };
        var query = Pick(string.Empty, "?speed=0", "?speed=", "?speed=Infinity", "?speed=NaN", "?speed=-1", "?speed=abc", "?speed=1e3", "?speed=0&speed=0", "?speed=%ZZ", "?speed=-0", "?speed=%E2%88%9E");
        var body = path == "/sandbox/faults" ? FaultSpec() : _random.Next(8) == 0 ? Mutated(new FuzzMessage(TradesJson(), false, false, null)).Text : TradesJson();
        return (path, query, body);
    }

    private FuzzMessage StructuredApiRequest()
    {
        var message = new JsonObject();
        var (idKnown, idJson) = MaybeId(message);
        var method = _random.Next(12) switch
        {
            0 => null,
            1 => RandomJson(1),
            2 => (JsonNode)RandomString(),
            _ => Pick(WebSocketMethods),
        };
        if (method is not null || _random.Next(2) == 0)
        {
            message["method"] = method;
        }

        var signed = method is JsonValue v && v.TryGetValue<string>(out var name) && SignedMethods.Contains(name) && _random.Next(4) != 0;
        switch (_random.Next(10))
        {
            case 0:
                break;
            case 1:
                message["params"] = RandomJson(2);
                break;
            default:
                var parameters = HostileParameters(method is JsonValue m && m.TryGetValue<string>(out var operation) ? operation : string.Empty)
                    .Where(p => p.Name.Length > 0)
                    .GroupBy(p => p.Name, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
                if (signed)
                {
                    parameters["apiKey"] = SandboxHarness.ApiKey;
                    parameters["timestamp"] = Now();
                    parameters.Remove("signature");
                    var payload = string.Join('&', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
                    parameters["signature"] = SandboxHarness.Sign(payload);
                }

                var json = new JsonObject();
                foreach (var (key, value) in parameters)
                {
                    // Mostly strings, as signed; sometimes the JSON types Binance also takes, or nonsense.
                    json[key] = signed || _random.Next(4) != 0 ? value : _random.Next(3) == 0 ? RandomJson(1) : NumberOrString(value);
                }

                message["params"] = json;
                break;
        }

        return new FuzzMessage(message.ToJsonString(), false, idKnown, idJson);
    }

    // Adds an id of a valid kind (known answer), of a wrong kind (answer null), or none (answer null).
    private (bool Known, string? Json) MaybeId(JsonObject message)
    {
        switch (_random.Next(6))
        {
            case 0:
                return (true, "null");
            case 1:
                message["id"] = RandomJson(2) is JsonObject or JsonArray or null ? new JsonArray(1) : new JsonObject { ["x"] = 1 };
                return (true, "null");
            case 2:
                message["id"] = _random.NextInt64(long.MinValue, long.MaxValue);
                return (true, message["id"]!.ToJsonString());
            case 3:
                message["id"] = 1.5;
                return (true, "null");
            default:
                message["id"] = RandomString();
                return (true, message["id"]!.ToJsonString());
        }
    }

    // The parameters an operation reads, each present or not, plausible or hostile, plus the odd stray one.
    private List<(string Name, string Value)> HostileParameters(string operation)
    {
        string[] names = operation switch
        {
            "exchangeInfo" => ["symbol", "symbols"],
            "order.place" => ["symbol", "side", "type", "timeInForce", "quantity", "price", "newClientOrderId", "newOrderRespType", "recvWindow"],
            "order.status" => ["symbol", "orderId", "origClientOrderId", "recvWindow"],
            "order.cancel" => ["symbol", "orderId", "origClientOrderId", "newClientOrderId"],
            "openOrders.status" => ["symbol", "recvWindow"],
            "account.status" => ["omitZeroBalances", "recvWindow"],
            "myTrades" => ["symbol", "orderId", "limit"],
            "userDataStream.unsubscribe" => ["subscriptionId"],
            _ => [],
        };
        var parameters = new List<(string Name, string Value)>();
        var plausible = _random.Next(3) != 0;
        foreach (var name in names)
        {
            if (_random.Next(10) < (plausible ? 9 : 5))
            {
                parameters.Add((name, plausible && _random.Next(4) != 0 ? PlausibleValue(name) : HostileValue(name)));
            }
        }

        for (var i = _random.Next(5) == 0 ? _random.Next(1, 4) : 0; i > 0; i--)
        {
            parameters.Add((_random.Next(8) == 0 ? RandomString() : Pick(ParameterNames), _random.Next(6) == 0 ? RandomString() : Pick(Values)));
        }

        return parameters;
    }

    private string PlausibleValue(string name) => name switch
    {
        "symbol" => Pick("XRPUSDT", "XRPUSDT", "XRPUSDT", "NOPE"),
        "symbols" => Pick("[\"XRPUSDT\"]", "[]", "[\"XRPUSDT\",\"NOPE\"]"),
        "side" => Pick("BUY", "SELL"),
        "type" => "LIMIT",
        "timeInForce" => "GTC",
        "quantity" => Pick("100", "50", "1000", "10"),
        "price" => Pick("0.5", "0.4999", "0.6", "0.55"),
        "newClientOrderId" => NewClientOrderId(),
        "origClientOrderId" => PickFrom(_clientOrderIds),
        "orderId" => _random.Next(1, 200).ToString(CultureInfo.InvariantCulture),
        "newOrderRespType" => Pick("ACK", "RESULT", "FULL"),
        "recvWindow" => Pick("5000", "60000", "1000.5"),
        "limit" => Pick("1", "500", "1000", "5000"),
        "omitZeroBalances" => Pick("true", "false"),
        "subscriptionId" => Pick("0", "1", "2"),
        _ => Pick(Values),
    };

    private string HostileValue(string name) => _random.Next(4) switch
    {
        0 => RandomString(),
        1 or 2 when name == "symbols" => SymbolsJson(),
        _ => Pick(Values),
    };

    // exchangeInfo's symbols: arrays of strings, nulls, numbers, nested values, duplicates; or not an array at all.
    private string SymbolsJson()
    {
        if (_random.Next(5) == 0)
        {
            return RandomJson(2)?.ToJsonString() ?? "null";
        }

        var items = Enumerable.Range(0, _random.Next(4)).Select(_ => _random.Next(5) switch
        {
            0 => null,
            1 => RandomJson(1),
            _ => (JsonNode)Pick("XRPUSDT", "NOPE", "", "xrpusdt", "\ud800"),
        });
        return new JsonArray(items.ToArray()).ToJsonString();
    }

    private string NewClientOrderId()
    {
        var id = "fz-" + _random.Next(1_000_000).ToString(CultureInfo.InvariantCulture);
        _clientOrderIds.Add(id);
        return id;
    }

    private string TradesJson()
    {
        var trades = new JsonArray();
        for (var i = _random.Next(4); i >= 0; i--)
        {
            if (_random.Next(12) == 0)
            {
                trades.Add(RandomJson(2));
                continue;
            }

            var trade = new JsonObject();
            void Maybe(string name, Func<JsonNode?> value)
            {
                if (_random.Next(8) != 0)
                {
                    trade[name] = value();
                }
            }

            Maybe("symbol", () => _random.Next(4) == 0 ? RandomJson(1) : (JsonNode)Pick("XRPUSDT", "XRPUSDT", "NOPE", "xrpusdt", ""));
            Maybe("price", () => _random.Next(3) == 0 ? NumberOrString(Pick(Values)) : (JsonNode)Pick("0.5", "0.4", "0.6", "-1", "0", Pick(Values)));
            Maybe("qty", () => _random.Next(3) == 0 ? NumberOrString(Pick(Values)) : (JsonNode)Pick("10", "1", "0", "-5", Pick(Values)));
            if (_random.Next(3) == 0)
            {
                Maybe("time", () => _random.Next(3) == 0 ? RandomJson(1) : (JsonNode)_random.NextInt64(-10, 300_000_000_000_000));
            }

            if (_random.Next(3) == 0)
            {
                Maybe("id", () => _random.Next(3) == 0 ? RandomJson(1) : (JsonNode)_random.NextInt64(-10, long.MaxValue));
            }

            if (_random.Next(3) == 0)
            {
                Maybe("m", () => _random.Next(3) == 0 ? RandomJson(1) : (JsonNode)(_random.Next(2) == 0));
            }

            trades.Add(trade);
        }

        return _random.Next(10) == 0 ? RandomJson(2)?.ToJsonString() ?? "null" : trades.ToJsonString();
    }

    private string FaultSpec()
    {
        string[] names = ["delay", "order5xx", "order5xx-status", "429", "418", "retry-after", "timestamp", "drop-ws-api", "drop-streams", "duplicate", "reorder", "explode", ""];
        string[] values = ["", "1", "0", "-1", "200ms", "2s", "1m", "1d", "99999999999999999999m", "2000000m", "1e3s", "NaNs", "Infinitys", "fast", "true", "false", "503", "404", "2147483648"];
        return string.Join(Pick(",", ", ", ",,"), Enumerable.Range(0, _random.Next(4)).Select(_ => Pick(names) + (_random.Next(4) == 0 ? string.Empty : "=" + Pick(values))));
    }

    private string StreamName() => _random.Next(5) switch
    {
        0 => RandomString(),
        1 => new string('a', _random.Next(120, 140)),
        _ => Pick("xrpusdt@trade", "btcusdt@trade", "nope@trade", "xrpusdt@depth", "@trade", "XRPUSDT@trade", "xrpusdt@"),
    };

    private FuzzMessage Mutated(FuzzMessage message) => new(MutateText(message.Text), message.Binary, false, null);

    private string MutateText(string text)
    {
        if (text.Length == 0)
        {
            return Garbage();
        }

        var builder = new StringBuilder(text);
        for (var edits = 1 + _random.Next(3); edits > 0 && builder.Length > 0; edits--)
        {
            var at = _random.Next(builder.Length);
            switch (_random.Next(4))
            {
                case 0:
                    builder.Length = at;
                    break;
                case 1:
                    builder.Remove(at, 1);
                    break;
                case 2:
                    builder.Insert(at, Pick("{", "}", "[", "]", "\"", ",", ":", "\\", "\\u", "\\ud800", "null", "0", "-", "e", "&", "=", "%", "\u0000"));
                    break;
                default:
                    builder.Insert(at, builder.ToString(at, Math.Min(builder.Length - at, 1 + _random.Next(20))));
                    break;
            }
        }

        return builder.ToString();
    }

    private string JsonOfWrongShape() => _random.Next(8) switch
    {
        0 => "[1]",
        1 => "\"x\"",
        2 => "42",
        3 => "null",
        4 => new string('[', 70) + new string(']', 70),
        _ => RandomJson(3) is JsonObject ? "[{}]" : RandomJson(3)?.ToJsonString() ?? "null",
    };

    private JsonNode? RandomJson(int depth) => (depth <= 0 ? _random.Next(5) : _random.Next(7)) switch
    {
        0 => null,
        1 => (JsonNode)(_random.Next(2) == 0),
        2 => (JsonNode)(_random.NextDouble() * Math.Pow(10, _random.Next(-30, 30)) * (_random.Next(2) == 0 ? -1 : 1)),
        3 => (JsonNode)_random.NextInt64(long.MinValue, long.MaxValue),
        4 => (JsonNode)Pick(Values),
        5 => new JsonArray(Enumerable.Range(0, _random.Next(4)).Select(_ => RandomJson(depth - 1)).ToArray()),
        _ => new JsonObject(Enumerable.Range(0, _random.Next(4)).Select(i => KeyValuePair.Create(Pick(ParameterNames) + i.ToString(CultureInfo.InvariantCulture), RandomJson(depth - 1)))),
    };

    private JsonNode NumberOrString(string value) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);

    private string Garbage()
    {
        var length = _random.Next(5) == 0 ? 0 : _random.Next(1, 120);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(_random.Next(10) switch
            {
                0 => (char)_random.Next(0, 32),
                1 => (char)_random.Next(0x80, 0x2FFF),
                2 => Pick('{', '}', '[', ']', '"', ',', ':', '\\'),
                _ => (char)_random.Next(32, 127),
            });
        }

        return builder.ToString();
    }

    private string RandomString() => _random.Next(4) == 0 ? Pick(Values) : Garbage();

    private string Encode(IEnumerable<(string Name, string Value)> parameters) =>
        string.Join('&', parameters.Select(p => _random.Next(6) == 0 ? p.Name + "=" + p.Value : Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

    private static string Operation(string method, string path) => (method, path) switch
    {
        ("POST", "/api/v3/order") => "order.place",
        ("GET", "/api/v3/order") => "order.status",
        ("DELETE", "/api/v3/order") => "order.cancel",
        (_, "/api/v3/openOrders") => "openOrders.status",
        (_, "/api/v3/account") => "account.status",
        _ => path[(path.LastIndexOf('/') + 1)..],
    };

    private static string Now() => SandboxHarness.Now.ToString(CultureInfo.InvariantCulture);

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    private T PickFrom<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}

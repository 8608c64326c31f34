using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>A Binance error: HTTP status, code and message, and for 429/418 the Retry-After.</summary>
internal sealed record ApiError(int Status, int Code, string Message, TimeSpan? RetryAfter = null)
{
    public static ApiError Mandatory(string name) => new(400, -1102, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.");

    public static ApiError Illegal(string name, string pattern) => new(400, -1100, $"Illegal characters found in parameter '{name}'; legal range is '{pattern}'.");

    public static ApiError InvalidSymbol() => new(400, -1121, "Invalid symbol.");

    /// <summary>-1135 INVALID_JSON: the request (or a JSON-valued parameter) is not the JSON it must be.</summary>
    public static ApiError InvalidJson(string detail) => new(400, -1135, "Invalid JSON Request: " + detail);

    /// <summary>-1101: a parameter sent twice in the query string or twice in the body.</summary>
    public static ApiError Duplicate(string name) => new(400, -1101, $"Duplicate values for a parameter detected: '{name}'.");

    /// <summary>-1000 UNKNOWN, for a request the sandbox failed on (a sandbox bug, counted in the diagnostics).</summary>
    public static ApiError Unknown() => new(500, -1000, "An unknown error occurred while processing the request.");

    public JsonObject ToJson() => new() { ["code"] = Code, ["msg"] = Message };
}

/// <summary>The answer of an endpoint: a JSON result or an error.</summary>
internal readonly record struct ApiResult(JsonNode? Result, ApiError? Error)
{
    public static implicit operator ApiResult(JsonNode result) => new(result, null);

    public static implicit operator ApiResult(ApiError error) => new(null, error);
}

/// <summary>What the REST and WebSocket API faces hand to the shared pipeline.</summary>
/// <param name="Ip">Caller's IP (weights are counted per IP).</param>
/// <param name="ApiKey">The API key (header or params), if any.</param>
/// <param name="Parameters">All parameters, by name.</param>
/// <param name="SignedPayloads">The payloads a valid signature may be computed over.</param>
/// <param name="SessionAuthenticated">The API key is the WebSocket API session's (session.logon): no signature is needed.</param>
internal sealed record ApiRequest(string Ip, string? ApiKey, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> SignedPayloads, bool SessionAuthenticated = false)
{
    public string? Get(string name) => Parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}

/// <summary>An operation both faces expose.</summary>
/// <param name="Weight">Request weight, which may depend on the parameters.</param>
/// <param name="Signed">Whether the request must carry timestamp and signature.</param>
/// <param name="PlacesOrder">Whether it counts against the order limits (and can hit the 5xx-after-accept fault).</param>
/// <param name="Handler">The operation.</param>
/// <param name="WeightOnlyOnFailure">Binance since 2026-04-02: order placement and cancel weigh 0 when they succeed, their weight when they fail.</param>
/// <param name="QueriesOrder">An order query (the one the archived fault answers).</param>
internal sealed record ApiEndpoint(Func<ApiRequest, int> Weight, bool Signed, bool PlacesOrder, Func<ApiRequest, CancellationToken, ValueTask<ApiResult>> Handler, bool WeightOnlyOnFailure = false, bool QueriesOrder = false);

/// <summary>The answer with the usage counters the headers and rateLimits report.</summary>
internal sealed record ApiResponse(ApiResult Result, int UsedWeight, int? OrderCount10S, int? OrderCount1D);

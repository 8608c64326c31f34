using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>An HTTP request as the REST face sees it: raw query string (with its '?') and raw form body.</summary>
internal sealed record RestCall(string Method, string Path, string RawQuery, string RawBody, string? ApiKey, string Ip, string? TimeUnit = null);

/// <summary>What to answer: status, Binance JSON body, and headers (weights, order counts, Retry-After).</summary>
internal sealed record RestAnswer(int Status, string Json, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public static RestAnswer Of(ApiError error) => new(error.Status, error.ToJson().ToJsonString(), []);
}

/// <summary>
/// The Binance REST face (<c>/api/v3/*</c>) without HTTP, so it can be driven in-process: parameters from the body
/// then the query string (the query string wins, as on Binance; a name twice in one of them is -1101), the shared
/// pipeline, and the answer. Bad input is always a Binance error; an exception is a sandbox bug, answered -1000.
/// </summary>
internal sealed class RestGateway(SandboxEngine engine)
{
    public async Task<RestAnswer> HandleAsync(RestCall call, CancellationToken cancellationToken)
    {
        if (!engine.Rest.TryGetValue(call.Method + " " + call.Path, out var endpoint))
        {
            return new RestAnswer(404, new JsonObject { ["code"] = -1000, ["msg"] = $"Unknown path or method: {call.Method} {call.Path}" }.ToJsonString(), []);
        }

        if (TimeUnits.Check(call.TimeUnit) is { } badUnit)
        {
            return RestAnswer.Of(badUnit);
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if ((Collect(call.RawBody, parameters) ?? Collect(call.RawQuery, parameters)) is { } duplicate)
        {
            return RestAnswer.Of(duplicate);
        }

        var request = new ApiRequest(call.Ip, call.ApiKey, parameters, Signature.RestPayloads(call.RawQuery, call.RawBody));
        ApiResponse response;
        try
        {
            response = await engine.ExecuteAsync(endpoint, request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            engine.ReportUnexpected("REST", ex);
            return RestAnswer.Of(ApiError.Unknown());
        }

        var headers = new List<KeyValuePair<string, string>> { new("X-MBX-USED-WEIGHT-1M", response.UsedWeight.ToString(CultureInfo.InvariantCulture)) };
        if (response.OrderCount10S is { } tenSeconds)
        {
            headers.Add(new("X-MBX-ORDER-COUNT-10S", tenSeconds.ToString(CultureInfo.InvariantCulture)));
            headers.Add(new("X-MBX-ORDER-COUNT-1D", response.OrderCount1D!.Value.ToString(CultureInfo.InvariantCulture)));
        }

        if (response.Result.Error is { } error)
        {
            if (error.RetryAfter is { } retryAfter)
            {
                headers.Add(new("Retry-After", ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
            }

            return new RestAnswer(error.Status, error.ToJson().ToJsonString(), headers);
        }

        var result = TimeUnits.IsMicrosecond(call.TimeUnit) ? TimeUnits.ToMicroseconds(response.Result.Result) : response.Result.Result;
        return new RestAnswer(200, result!.ToJsonString(), headers);
    }

    // Later sources overwrite earlier ones; within one source a repeated name is an error.
    private static ApiError? Collect(string raw, Dictionary<string, string> parameters)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, values) in QueryHelpers.ParseQuery(raw))
        {
            if (values.Count > 1 || !seen.Add(name))
            {
                return ApiError.Duplicate(name);
            }

            parameters[name] = values.ToString();
        }

        return null;
    }
}

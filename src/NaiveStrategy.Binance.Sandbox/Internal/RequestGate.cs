using System.Globalization;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// The gate every request of both faces passes before and after its operation: injected bans and 429s, request
/// weight per IP, API key, signature, timestamp and recvWindow, the order-rate limits per account, and the faults
/// that answer in the operation's place (archived, unknown execution, 5xx after accepting an order). Holds no
/// exchange state: the operation it runs is the endpoint's handler.
/// </summary>
internal sealed class RequestGate(SandboxOptions options, SandboxFaults faults, IReadOnlyDictionary<string, KeyVerifier> keys, ILogger logger)
{
    private readonly TimeProvider _time = options.TimeProvider;

    public UsageCounters Counters { get; } = new(options.TimeProvider);

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The kind of a registered API key, or null for a key the sandbox does not know.</summary>
    public KeyKind? KindOf(string apiKey) => keys.TryGetValue(apiKey, out var key) ? key.Kind : null;

    /// <summary>Runs one request through Binance's checks, the operation, and the faults.</summary>
    public async Task<ApiResponse> ExecuteAsync(ApiEndpoint endpoint, ApiRequest request, CancellationToken cancellationToken)
    {
        var (result, counted) = await RunChecksAndOperationAsync(endpoint, request, cancellationToken);
        if (faults.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(faults.ResponseDelay, _time, cancellationToken);
        }

        if (result.Error is { } error)
        {
            Log.Rejected(logger, error.Code, error.Message);
        }

        int? tenSeconds = null, day = null;
        if (endpoint.PlacesOrder && request.ApiKey is not null && keys.ContainsKey(request.ApiKey))
        {
            (tenSeconds, day) = Counters.Orders(request.ApiKey);
        }

        return new ApiResponse(result, counted, tenSeconds, day);
    }

    private async Task<(ApiResult Result, int Weight)> RunChecksAndOperationAsync(ApiEndpoint endpoint, ApiRequest request, CancellationToken cancellationToken)
    {
        if (faults.TakeBan())
        {
            Log.FaultInjected(logger, "418");
            return (TooMany(request.Ip, banned: true), Counters.Weight(request.Ip));
        }

        if (faults.TakeRateLimit())
        {
            Log.FaultInjected(logger, "429");
            return (TooMany(request.Ip, banned: false), Counters.Weight(request.Ip));
        }

        var free = endpoint.WeightOnlyOnFailure;
        var weight = free ? Counters.Weight(request.Ip) : Counters.AddWeight(request.Ip, endpoint.Weight(request));
        if (free ? weight >= options.RequestWeightPerMinute : weight > options.RequestWeightPerMinute)
        {
            return (TooMany(request.Ip, banned: false), free ? Counters.AddWeight(request.Ip, endpoint.Weight(request)) : weight);
        }

        var result = await CheckedOperationAsync(endpoint, request, cancellationToken);
        return (result, free && result.Error is not null ? Counters.AddWeight(request.Ip, endpoint.Weight(request)) : weight);
    }

    private async Task<ApiResult> CheckedOperationAsync(ApiEndpoint endpoint, ApiRequest request, CancellationToken cancellationToken)
    {
        if (endpoint.Signed && Authenticate(request) is { } authError)
        {
            return authError;
        }

        if (endpoint.PlacesOrder)
        {
            if (OrderLimitReached(request.ApiKey!) is { } limited)
            {
                return limited;
            }

            Counters.AddOrder(request.ApiKey!);
        }

        if (endpoint.QueriesOrder && faults.TakeArchived())
        {
            Log.FaultInjected(logger, "-2026 order archived");
            return new ApiError(400, -2026, "Order was canceled or expired with no executed qty over 90 days ago and has been archived.");
        }

        var result = await endpoint.Handler(request, cancellationToken);
        if (endpoint.PlacesOrder && result.Error is not null)
        {
            // Only a placed order counts ("every successful request to place an order adds to the unfilled order count").
            Counters.RemoveOrder(request.ApiKey!);
        }

        if (endpoint.PlacesOrder && result.Error is null && faults.TakeUnknownExecution())
        {
            Log.FaultInjected(logger, "-1006 after accepting an order");
            return new ApiError(500, -1006, "An unexpected response was received from the message bus. Execution status unknown.");
        }

        if (endpoint.PlacesOrder && result.Error is null && faults.TakeServerError())
        {
            Log.FaultInjected(logger, "5xx after accepting an order");
            return new ApiError(faults.ServerErrorStatus, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");
        }

        return result;
    }

    // Binance's order rate limits per account: a placement beyond them is a 429 with -1015 and not counted, with a
    // Retry-After up to the end of the window that is full.
    private ApiError? OrderLimitReached(string apiKey)
    {
        var (tenSeconds, day) = Counters.Orders(apiKey);
        var (limit, window, name) = day >= options.OrdersPerDay ? (options.OrdersPerDay, TimeSpan.FromDays(1), "1 DAY")
            : tenSeconds >= options.OrdersPer10Seconds ? (options.OrdersPer10Seconds, TimeSpan.FromSeconds(10), "10 SECOND")
            : (0, TimeSpan.Zero, null);
        if (name is null)
        {
            return null;
        }

        var windowMs = (long)window.TotalMilliseconds;
        var retryAfter = TimeSpan.FromMilliseconds(windowMs - (NowMs % windowMs));
        return new ApiError(429, -1015, $"Too many new orders; current limit is {limit.ToString(CultureInfo.InvariantCulture)} orders per {name}.", retryAfter);
    }

    private ApiError TooMany(string ip, bool banned)
    {
        var retryAfter = faults.RetryAfter;
        return banned
            ? new ApiError(418, -1003, $"Way too many requests; IP({ip}) banned until {(NowMs + (long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}. Please use WebSocket Streams for live updates to avoid bans.", retryAfter)
            : new ApiError(429, -1003, $"Too many requests; current limit of IP({ip}) request weight is {options.RequestWeightPerMinute.ToString(CultureInfo.InvariantCulture)} per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.", retryAfter);
    }

    private ApiError? Authenticate(ApiRequest request)
    {
        if (string.IsNullOrEmpty(request.ApiKey))
        {
            return new ApiError(401, -2014, "API-key format invalid.");
        }

        if (!keys.TryGetValue(request.ApiKey, out var key))
        {
            return new ApiError(401, -2015, "Invalid API-key, IP, or permissions for action.");
        }

        if (request.Get("timestamp") is not { } timestampText || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var stamp))
        {
            return ApiError.Mandatory("timestamp");
        }

        // Binance takes timestamp in milliseconds or microseconds, whatever X-MBX-TIME-UNIT says of the answers.
        var timestamp = TimeUnits.ToMilliseconds(stamp);

        var recvWindow = 5000m;
        if (request.Get("recvWindow") is { } windowText
            && (!decimal.TryParse(windowText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out recvWindow) || recvWindow <= 0))
        {
            return ApiError.Illegal("recvWindow", "^[0-9]{1,5}(\\.[0-9]{1,3})?$");
        }

        if (recvWindow > 60_000)
        {
            return new ApiError(400, -1131, "recvWindow must be less than 60000");
        }

        // A WebSocket API session logged on (session.logon) signs nothing more: the key was proven then.
        if (!request.SessionAuthenticated)
        {
            if (request.Get("signature") is not { } signature)
            {
                return ApiError.Mandatory("signature");
            }

            if (!key.Matches(request.SignedPayloads, signature))
            {
                return new ApiError(400, -1022, "Signature for this request is not valid.");
            }
        }

        var now = (decimal)NowMs;
        if (faults.TakeTimestampError() || now - timestamp > recvWindow)
        {
            return new ApiError(400, -1021, "Timestamp for this request is outside of the recvWindow.");
        }

        return timestamp >= now + 1000 ? new ApiError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.") : null;
    }
}

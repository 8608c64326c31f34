using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// The shared core of both faces: the in-memory exchange behind one async gate, the order journal,
/// Binance's request checks (keys, signatures, recvWindow, weights) and faults, the operations, and the
/// user data subscriptions that receive executionReports.
/// </summary>
internal sealed partial class SandboxEngine : IDisposable
{
    private const string ClientOrderIdPattern = "^[\\.A-Z\\:/a-z0-9_-]{1,36}$";
    private const string SymbolsPattern = "^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly OrderJournal _journal = new();
    private readonly SandboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, KeyVerifier> _keys;
    private readonly ConcurrentDictionary<long, UserDataSubscription> _subscriptions = new();
    private readonly Dictionary<string, decimal> _lastPrices = new(StringComparer.Ordinal); // under the gate
    private readonly IDisposable _updates;
    private long _nextSubscriptionId;

    public SandboxEngine(SandboxOptions options, IReadOnlyList<SymbolFilters> symbols, SandboxFaults faults, SandboxDiagnostics diagnostics, ILogger logger)
    {
        _options = options;
        _time = options.TimeProvider;
        _logger = logger;
        Faults = faults;
        Diagnostics = diagnostics;
        Counters = new UsageCounters(_time);
        _keys = options.ApiKeys.ToDictionary(k => k.ApiKey, KeyVerifier.Of, StringComparer.Ordinal);
        var exchangeOptions = new InMemoryExchangeOptions
        {
            MakerFeeRate = options.FeeRate,
            TakerFeeRate = options.TakerFeeRate ?? options.FeeRate,
            FeeAsset = options.FeeAsset,
            PartialFills = options.PartialFills,
            StartTime = _time.GetUtcNow(),
        };
        foreach (var symbol in symbols)
        {
            exchangeOptions.Symbols.Add(symbol);
        }

        foreach (var (asset, amount) in options.Balances)
        {
            exchangeOptions.Balances[asset] = amount;
        }

        Exchange = new InMemoryExchange(exchangeOptions);
        Symbols = symbols.ToDictionary(s => s.Symbol, StringComparer.Ordinal);
        _updates = Exchange.OrderUpdates.Subscribe(new UpdateObserver(this));
        Rest = new Dictionary<string, ApiEndpoint>(StringComparer.Ordinal)
        {
            ["GET /api/v3/ping"] = new(_ => 1, false, false, (_, _) => new(new JsonObject())),
            ["GET /api/v3/time"] = new(_ => 1, false, false, (_, _) => new(Time())),
            ["GET /api/v3/exchangeInfo"] = new(_ => 20, false, false, (r, _) => new(ExchangeInfo(r))),
            ["POST /api/v3/order"] = new(_ => 1, true, true, PlaceOrderAsync, WeightOnlyOnFailure: true),
            ["GET /api/v3/order"] = new(_ => 4, true, false, QueryOrderAsync),
            ["DELETE /api/v3/order"] = new(_ => 1, true, false, CancelOrderAsync, WeightOnlyOnFailure: true),
            ["GET /api/v3/openOrders"] = new(r => r.Get("symbol") is null ? 80 : 6, true, false, OpenOrdersAsync),
            ["GET /api/v3/account"] = new(_ => 20, true, false, AccountAsync),
            ["GET /api/v3/myTrades"] = new(r => r.Get("orderId") is null ? 20 : 5, true, false, MyTradesAsync),
        };
        WebSocketMethods = new Dictionary<string, ApiEndpoint>(StringComparer.Ordinal)
        {
            ["ping"] = Rest["GET /api/v3/ping"],
            ["time"] = Rest["GET /api/v3/time"],
            ["exchangeInfo"] = Rest["GET /api/v3/exchangeInfo"],
            ["order.place"] = Rest["POST /api/v3/order"],
            ["order.status"] = Rest["GET /api/v3/order"],
            ["order.cancel"] = Rest["DELETE /api/v3/order"],
            ["openOrders.status"] = Rest["GET /api/v3/openOrders"],
            ["account.status"] = Rest["GET /api/v3/account"],
            ["myTrades"] = Rest["GET /api/v3/myTrades"],
        };
    }

    public InMemoryExchange Exchange { get; }

    public SandboxFaults Faults { get; }

    public SandboxDiagnostics Diagnostics { get; }

    public UsageCounters Counters { get; }

    public IReadOnlyDictionary<string, SymbolFilters> Symbols { get; }

    /// <summary>REST endpoints by "METHOD /path".</summary>
    public IReadOnlyDictionary<string, ApiEndpoint> Rest { get; }

    /// <summary>WebSocket API methods (user data stream methods are per connection, see the session).</summary>
    public IReadOnlyDictionary<string, ApiEndpoint> WebSocketMethods { get; }

    public int WeightLimit => _options.RequestWeightPerMinute;

    public int IncomingMessagesPerSecond => _options.MaxIncomingMessagesPerSecond;

    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The kind of a registered API key, or null for a key the sandbox does not know.</summary>
    public KeyKind? KindOf(string apiKey) => _keys.TryGetValue(apiKey, out var key) ? key.Kind : null;

    /// <summary>Counts and logs an exception a request caused: a sandbox bug, answered -1000 by the face that caught it.</summary>
    public void ReportUnexpected(string face, Exception exception)
    {
        Diagnostics.UnexpectedError();
        Log.UnexpectedError(_logger, face, exception);
    }

    /// <summary>Runs one request through Binance's checks, the operation, and the faults.</summary>
    public async Task<ApiResponse> ExecuteAsync(ApiEndpoint endpoint, ApiRequest request, CancellationToken cancellationToken)
    {
        var (result, counted) = await RunChecksAndOperationAsync(endpoint, request, cancellationToken);
        if (Faults.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(Faults.ResponseDelay, _time, cancellationToken);
        }

        if (result.Error is { } error)
        {
            Log.Rejected(_logger, error.Code, error.Message);
        }

        int? tenSeconds = null, day = null;
        if (endpoint.PlacesOrder && request.ApiKey is not null && _keys.ContainsKey(request.ApiKey))
        {
            (tenSeconds, day) = Counters.Orders(request.ApiKey);
        }

        return new ApiResponse(result, counted, tenSeconds, day);
    }

    private async Task<(ApiResult Result, int Weight)> RunChecksAndOperationAsync(ApiEndpoint endpoint, ApiRequest request, CancellationToken cancellationToken)
    {
        if (Faults.TakeBan())
        {
            Log.FaultInjected(_logger, "418");
            return (TooMany(request.Ip, banned: true), Counters.Weight(request.Ip));
        }

        if (Faults.TakeRateLimit())
        {
            Log.FaultInjected(_logger, "429");
            return (TooMany(request.Ip, banned: false), Counters.Weight(request.Ip));
        }

        var free = endpoint.WeightOnlyOnFailure;
        var weight = free ? Counters.Weight(request.Ip) : Counters.AddWeight(request.Ip, endpoint.Weight(request));
        if (free ? weight >= _options.RequestWeightPerMinute : weight > _options.RequestWeightPerMinute)
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

        if (endpoint == Rest["GET /api/v3/order"] && Faults.TakeArchived())
        {
            Log.FaultInjected(_logger, "-2026 order archived");
            return new ApiError(400, -2026, "Order was canceled or expired with no executed qty over 90 days ago and has been archived.");
        }

        var result = await endpoint.Handler(request, cancellationToken);
        if (endpoint.PlacesOrder && result.Error is null && Faults.TakeUnknownExecution())
        {
            Log.FaultInjected(_logger, "-1006 after accepting an order");
            return new ApiError(500, -1006, "An unexpected response was received from the message bus. Execution status unknown.");
        }

        if (endpoint.PlacesOrder && result.Error is null && Faults.TakeServerError())
        {
            Log.FaultInjected(_logger, "5xx after accepting an order");
            return new ApiError(Faults.ServerErrorStatus, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");
        }

        return result;
    }

    // Binance's order rate limits per account: a placement beyond them is a 429 with -1015 and not counted, with a
    // Retry-After up to the end of the window that is full.
    private ApiError? OrderLimitReached(string apiKey)
    {
        var (tenSeconds, day) = Counters.Orders(apiKey);
        var (limit, window, name) = day >= _options.OrdersPerDay ? (_options.OrdersPerDay, TimeSpan.FromDays(1), "1 DAY")
            : tenSeconds >= _options.OrdersPer10Seconds ? (_options.OrdersPer10Seconds, TimeSpan.FromSeconds(10), "10 SECOND")
            : (0, TimeSpan.Zero, null);
        if (name is null)
        {
            return null;
        }

        var windowMs = (long)window.TotalMilliseconds;
        var retryAfter = TimeSpan.FromMilliseconds(windowMs - (NowMs % windowMs));
        return new ApiError(429, -1015, $"Too many new orders; current limit is {limit.ToString(CultureInfo.InvariantCulture)} orders per {name}.", retryAfter);
    }

    public int OrdersPer10Seconds => _options.OrdersPer10Seconds;

    public int OrdersPerDay => _options.OrdersPerDay;

    private ApiError TooMany(string ip, bool banned)
    {
        var retryAfter = Faults.RetryAfter;
        return banned
            ? new ApiError(418, -1003, $"Way too many requests; IP({ip}) banned until {(NowMs + (long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}. Please use WebSocket Streams for live updates to avoid bans.", retryAfter)
            : new ApiError(429, -1003, $"Too many requests; current limit of IP({ip}) request weight is {_options.RequestWeightPerMinute.ToString(CultureInfo.InvariantCulture)} per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.", retryAfter);
    }

    private ApiError? Authenticate(ApiRequest request)
    {
        if (string.IsNullOrEmpty(request.ApiKey))
        {
            return new ApiError(401, -2014, "API-key format invalid.");
        }

        if (!_keys.TryGetValue(request.ApiKey, out var key))
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
        if (Faults.TakeTimestampError() || now - timestamp > recvWindow)
        {
            return new ApiError(400, -1021, "Timestamp for this request is outside of the recvWindow.");
        }

        return timestamp >= now + 1000 ? new ApiError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.") : null;
    }

    private JsonObject Time() => new() { ["serverTime"] = NowMs };

    private ApiResult ExchangeInfo(ApiRequest request)
    {
        IEnumerable<SymbolFilters> selected = Symbols.Values.OrderBy(s => s.Symbol, StringComparer.Ordinal);
        if (request.Get("symbol") is { } one)
        {
            if (!Symbols.TryGetValue(one, out var filters))
            {
                return ApiError.InvalidSymbol();
            }

            selected = [filters];
        }
        else if (request.Get("symbols") is { } many)
        {
            if (ParseSymbolList(many) is not { } names)
            {
                return ApiError.Illegal("symbols", SymbolsPattern);
            }

            if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            {
                return new ApiError(400, -1151, "Symbol is present multiple times in the list.");
            }

            if (names.Any(n => !Symbols.ContainsKey(n)))
            {
                return ApiError.InvalidSymbol();
            }

            selected = names.Select(n => Symbols[n]);
        }

        return new JsonObject
        {
            ["timezone"] = "UTC",
            ["serverTime"] = NowMs,
            ["rateLimits"] = BinanceJson.RateLimits(_options.RequestWeightPerMinute, _options.OrdersPer10Seconds, _options.OrdersPerDay),
            ["exchangeFilters"] = new JsonArray(),
            ["symbols"] = new JsonArray(selected.Select(s => (JsonNode)WithStatus(BinanceJson.Symbol(s))).ToArray()),
        };
    }

    private async ValueTask<ApiResult> PlaceOrderAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (request.Get("symbol") is not { } symbol)
        {
            return ApiError.Mandatory("symbol");
        }

        if (!Symbols.ContainsKey(symbol))
        {
            return ApiError.InvalidSymbol();
        }

        if (MarketClosed(symbol) is { } closed)
        {
            return closed;
        }

        OrderSide side;
        switch (request.Get("side"))
        {
            case null: return ApiError.Mandatory("side");
            case "BUY": side = OrderSide.Buy; break;
            case "SELL": side = OrderSide.Sell; break;
            default: return new ApiError(400, -1117, "Invalid side.");
        }

        bool market;
        switch (request.Get("type"))
        {
            case null: return ApiError.Mandatory("type");
            case "LIMIT": market = false; break;
            case "MARKET": market = true; break;
            default: return new ApiError(400, -1116, "Invalid orderType.");
        }

        if ((market ? MarketParameterError(request) : LimitParameterError(request)) is { } parameterError)
        {
            return parameterError;
        }

        if (ParseDecimal(request, "quantity") is not { } quantity)
        {
            return request.Get("quantity") is null ? ApiError.Mandatory("quantity") : ApiError.Illegal("quantity", "^([0-9]{1,20})(\\.[0-9]{1,20})?$");
        }

        // A MARKET order has no price (sending one was refused above): Binance reports 0.
        var price = 0m;
        if (!market)
        {
            if (ParseDecimal(request, "price") is not { } limitPrice)
            {
                return request.Get("price") is null ? ApiError.Mandatory("price") : ApiError.Illegal("price", "^([0-9]{1,20})(\\.[0-9]{1,20})?$");
            }

            price = limitPrice;
        }

        var clientOrderId = request.Get("newClientOrderId") ?? GeneratedClientOrderId();
        if (!ClientOrderIdRegex().IsMatch(clientOrderId))
        {
            return ApiError.Illegal("newClientOrderId", ClientOrderIdPattern);
        }

        var responseType = request.Get("newOrderRespType") ?? "FULL";
        if (responseType is not ("ACK" or "RESULT" or "FULL"))
        {
            return new ApiError(400, -1177, "Invalid newOrderRespType.");
        }

        // exchangeInfo lists NONE as the only allowed mode (our orders never meet each other here, so no mode could act):
        // any other is refused as Binance refuses a mode the symbol does not allow.
        if (request.Get("selfTradePreventionMode") is { } stp && stp != "NONE")
        {
            return new ApiError(400, -1013, "This symbol does not allow the specified self-trade prevention mode.");
        }

        if ((market ? MarketFilterFailure(Symbols[symbol], quantity) : NotionalFailure(Symbols[symbol], price, quantity)) is { } filterError)
        {
            return filterError;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var placement = new OrderRequest(symbol, clientOrderId, side, price, quantity) { Type = market ? OrderType.Market : OrderType.Limit };
            var placed = market
                ? await Exchange.PlaceMarketOrderAsync(placement, cancellationToken)
                : await Exchange.PlaceLimitOrderAsync(placement, cancellationToken);
            if (!placed.IsSuccess)
            {
                return new ApiError(400, placed.Error.Code, placed.Error.Message);
            }

            var now = NowMs;
            var order = _journal.Add(placed.Value, now, placement.Type);
            Broadcast(order, _journal.NewOrderDelta(order));
            var fills = new List<ExecutionDelta>();
            if (placed.Value.ExecutedQuantity > 0 && _journal.Apply(placed.Value, FillsOf(placed.Value), now) is { } taken)
            {
                // A taker fill on arrival: its TRADE reports follow the NEW one, and FULL lists it in fills.
                fills.AddRange(taken.Deltas.Where(d => d.TradeId >= 0));
                Broadcast(order, taken.Deltas);
            }

            BroadcastAccount(Symbols[symbol]);

            Log.OrderPlaced(_logger, order.OrderId, symbol, clientOrderId);
            return BinanceJson.NewOrder(order, responseType, now, fills);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<ApiResult> QueryOrderAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var found = await FindOrderAsync(request, cancellationToken);
        return found.Order is { } order ? BinanceJson.QueriedOrder(order)
            : found.Error is { } error ? error
            : new ApiError(400, -2013, "Order does not exist.");
    }

    private async ValueTask<ApiResult> CancelOrderAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var cancelId = request.Get("newClientOrderId") ?? GeneratedClientOrderId();
        if (!ClientOrderIdRegex().IsMatch(cancelId))
        {
            return ApiError.Illegal("newClientOrderId", ClientOrderIdPattern);
        }

        var found = await FindOrderAsync(request, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (found.Order is not { } order || order.Status.IsTerminal())
            {
                return new ApiError(400, -2011, "Unknown order sent.");
            }

            order.CancelClientOrderId = cancelId;
            var canceled = await Exchange.CancelOrderAsync(order.Symbol, order.ClientOrderId, cancellationToken);
            return canceled.IsSuccess ? BinanceJson.CanceledOrder(order, NowMs) : new ApiError(400, canceled.Error.Code, canceled.Error.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<(OrderRecord? Order, ApiError? Error)> FindOrderAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (request.Get("symbol") is not { } symbol)
        {
            return (null, ApiError.Mandatory("symbol"));
        }

        if (!Symbols.ContainsKey(symbol))
        {
            return (null, ApiError.InvalidSymbol());
        }

        long? orderId = null;
        if (request.Get("orderId") is { } idText)
        {
            if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return (null, ApiError.Illegal("orderId", "^[0-9]{1,20}$"));
            }

            orderId = id;
        }

        var clientOrderId = request.Get("origClientOrderId");
        if (orderId is null && clientOrderId is null)
        {
            return (null, new ApiError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"));
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Binance: both ids sent and the order with that orderId has another client id is -2039, not "does not exist".
            if (orderId is { } both && clientOrderId is not null && _journal.Find(symbol, both, null) is { } byId && byId.ClientOrderId != clientOrderId)
            {
                return (null, new ApiError(400, -2039, "Client order ID is not correct for this order ID."));
            }

            return (_journal.Find(symbol, orderId, clientOrderId), null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<ApiResult> OpenOrdersAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var symbol = request.Get("symbol");
        if (symbol is not null && !Symbols.ContainsKey(symbol))
        {
            return ApiError.InvalidSymbol();
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return new JsonArray(_journal.Open(symbol).Select(o => (JsonNode)BinanceJson.QueriedOrder(o)).ToArray());
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<ApiResult> AccountAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var omitZero = request.Get("omitZeroBalances") == "true";
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var balances = (await Exchange.GetBalancesAsync(cancellationToken)).Value
                .Where(b => !omitZero || b.Free != 0 || b.Locked != 0)
                .Select(b => (JsonNode)new JsonObject { ["asset"] = b.Asset, ["free"] = BinanceJson.Number(b.Free), ["locked"] = BinanceJson.Number(b.Locked) });
            var (maker, taker) = (_options.FeeRate, _options.TakerFeeRate ?? _options.FeeRate);
            return new JsonObject
            {
                ["makerCommission"] = (int)(maker * 10_000),
                ["takerCommission"] = (int)(taker * 10_000),
                ["buyerCommission"] = 0,
                ["sellerCommission"] = 0,
                ["commissionRates"] = new JsonObject { ["maker"] = BinanceJson.Number(maker), ["taker"] = BinanceJson.Number(taker), ["buyer"] = BinanceJson.Number(0), ["seller"] = BinanceJson.Number(0) },
                ["canTrade"] = true,
                ["canWithdraw"] = true,
                ["canDeposit"] = true,
                ["brokered"] = false,
                ["requireSelfTradePrevention"] = false,
                ["preventSor"] = false,
                ["updateTime"] = NowMs,
                ["accountType"] = "SPOT",
                ["balances"] = new JsonArray(balances.ToArray()),
                ["permissions"] = new JsonArray("SPOT"),
                ["uid"] = 1,
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<ApiResult> MyTradesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (request.Get("symbol") is not { } symbol)
        {
            return ApiError.Mandatory("symbol");
        }

        if (!Symbols.ContainsKey(symbol))
        {
            return ApiError.InvalidSymbol();
        }

        long? orderId = null;
        if (request.Get("orderId") is { } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return ApiError.Illegal("orderId", "^[0-9]{1,20}$");
            }

            orderId = id;
        }

        var limit = 500;
        if (request.Get("limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var l))
            {
                return ApiError.Illegal("limit", "^[0-9]{1,4}$");
            }

            limit = Math.Clamp(l, 1, 1000);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return new JsonArray(_journal.Trades(symbol, orderId).TakeLast(limit).Select(t => (JsonNode)BinanceJson.MyTrade(t)).ToArray());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Publishes a market trade through the gate: fills, executionReports, then the trade stream.</summary>
    public async Task PublishTradeAsync(TradeEvent trade, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _lastPrices[trade.Symbol] = trade.Price;
            Exchange.PublishTrade(trade);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void PublishTrade(in TradeEvent trade)
    {
        _gate.Wait();
        try
        {
            _lastPrices[trade.Symbol] = trade.Price;
            Exchange.PublishTrade(trade);
        }
        finally
        {
            _gate.Release();
        }
    }

    public long Subscribe(SocketConnection connection, bool microseconds = false)
    {
        var id = Interlocked.Increment(ref _nextSubscriptionId) - 1;
        _subscriptions[id] = new UserDataSubscription(id, connection, Faults, _time) { Microseconds = microseconds };
        return id;
    }

    public bool Unsubscribe(long id) => _subscriptions.TryRemove(id, out _);

    public IEnumerable<long> SubscriptionsOf(SocketConnection connection) =>
        _subscriptions.Values.Where(s => ReferenceEquals(s.Connection, connection)).Select(s => s.Id).Order();

    public void Dispose()
    {
        _updates.Dispose();
        _gate.Dispose();
    }

    private static decimal? ParseDecimal(ApiRequest request, string name) =>
        request.Get(name) is { } text && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    // exchangeInfo's symbols: a JSON array of strings, e.g. ["BTCUSDT","BNBBTC"]; null when it is not one.
    private static string[]? ParseSymbolList(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var names = new List<string>();
            foreach (var element in root.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 } name)
                {
                    return null;
                }

                names.Add(name);
            }

            return names.ToArray();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // LIMIT (GTC only here): timeInForce is mandatory.
    private static ApiError? LimitParameterError(ApiRequest request) => request.Get("timeInForce") switch
    {
        null => ApiError.Mandatory("timeInForce"),
        "GTC" => null,
        _ => new ApiError(400, -1115, "Invalid timeInForce."),
    };

    // MARKET, as Binance checks it: no price nor timeInForce, a quantity (quoteOrderQty is not allowed on these
    // symbols: exchangeInfo says quoteOrderQtyMarketAllowed=false).
    private static ApiError? MarketParameterError(ApiRequest request)
    {
        if (request.Get("price") is not null)
        {
            return NotRequired("price");
        }

        if (request.Get("timeInForce") is not null)
        {
            return NotRequired("timeInForce");
        }

        if (request.Get("quoteOrderQty") is not null)
        {
            return new ApiError(400, -1013, "Quote order qty market orders are not support for this symbol.");
        }

        return request.Get("quantity") is null
            ? new ApiError(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
            : null;
    }

    private static ApiError NotRequired(string name) => new(400, -1106, $"Parameter '{name}' sent when not required.");

    // A MARKET order's filters: LOT_SIZE, MARKET_LOT_SIZE, then NOTIONAL / MIN_NOTIONAL (applied to MARKET orders) at
    // the last market trade's price — Binance uses the average price of the last avgPriceMins minutes; before any trade
    // the notional is not checked.
    private ApiError? MarketFilterFailure(SymbolFilters filters, decimal quantity)
    {
        var lastPrice = _lastPrices.TryGetValue(filters.Symbol, out var p) ? p : 0m;
        try
        {
            return filters.FindMarketFilterFailure(lastPrice, quantity) is { } failure ? new ApiError(400, -1013, "Filter failure: " + failure) : null;
        }
        catch (OverflowException)
        {
            return new ApiError(400, -1013, "Filter failure: " + filters.NotionalFilterName);
        }
    }

    // The exchange multiplies price by quantity (filters, locked balance with the fee): a product beyond decimal's
    // range is a notional filter failure, as no notional filter could pass it, not an OverflowException.
    private ApiError? NotionalFailure(SymbolFilters filters, decimal price, decimal quantity)
    {
        try
        {
            if (filters.FindFilterFailure(price, quantity) is { } failure)
            {
                return new ApiError(400, -1013, "Filter failure: " + failure);
            }

            _ = price * quantity * (1 + Math.Max(Math.Abs(_options.FeeRate), Math.Abs(_options.TakerFeeRate ?? 0))) * 2;
            return null;
        }
        catch (OverflowException)
        {
            return new ApiError(400, -1013, "Filter failure: " + filters.NotionalFilterName);
        }
    }

    private static string GeneratedClientOrderId() => "sandbox" + Guid.NewGuid().ToString("N")[..22];

    [GeneratedRegex(ClientOrderIdPattern)]
    private static partial Regex ClientOrderIdRegex();

    // Runs on the thread that changed the exchange, which holds the gate: journal and delivery order follow the exchange's.
    // An update of an order the journal does not know yet (the taker fill of an order being placed) is dropped here:
    // PlaceOrderAsync journals it once the order is.
    private void OnExchangeUpdate(OrderUpdate update)
    {
        if (_journal.Apply(update, update.ExecutedQuantity > 0 ? FillsOf(update) : [], NowMs) is { } applied)
        {
            Broadcast(applied.Order, applied.Deltas);
            BroadcastAccount(Symbols[update.Symbol]);
        }
    }

    /// <summary>A deposit (or withdrawal) under the gate: balanceUpdate, then outboundAccountPosition.</summary>
    public void Deposit(string asset, decimal amount)
    {
        _gate.Wait();
        try
        {
            Exchange.Deposit(asset, amount);
            var now = NowMs;
            Deliver(new JsonObject { ["e"] = "balanceUpdate", ["E"] = now, ["a"] = asset, ["d"] = BinanceJson.Number(amount), ["T"] = now });
            Deliver(BinanceJson.AccountPosition([Exchange.GetBalance(asset)], now));
        }
        finally
        {
            _gate.Release();
        }
    }

    // After every order event that moves balances (placement locks, fills, cancel unlocks): the symbol's two assets.
    private void BroadcastAccount(SymbolFilters symbol)
    {
        if (!_subscriptions.IsEmpty)
        {
            Deliver(BinanceJson.AccountPosition([Exchange.GetBalance(symbol.BaseAsset), Exchange.GetBalance(symbol.QuoteAsset)], NowMs));
        }
    }

    // The exchange's fills of an order: the real prices, trade ids and maker/taker sides. The in-memory exchange
    // answers synchronously (and is only called under the gate).
    private IReadOnlyList<OrderFill> FillsOf(OrderUpdate update)
    {
        var pending = Exchange.GetOrderFillsAsync(update.Symbol, update.OrderId);
        if (!pending.IsCompleted)
        {
            throw new InvalidOperationException("The in-memory exchange answers synchronously.");
        }

        var fills = pending.Result;
        return fills.IsSuccess ? fills.Value : [];
    }

    private void Broadcast(OrderRecord order, IReadOnlyList<ExecutionDelta> deltas)
    {
        foreach (var delta in deltas)
        {
            Broadcast(order, delta);
        }
    }

    private void Broadcast(OrderRecord order, ExecutionDelta delta)
    {
        if (_subscriptions.IsEmpty)
        {
            return;
        }

        Deliver(BinanceJson.ExecutionReport(order, delta, NowMs));
    }

    private void Deliver(JsonObject json)
    {
        if (_subscriptions.IsEmpty)
        {
            return;
        }

        var isReport = (string?)json["e"] == "executionReport";
        var report = json.ToJsonString();
        string? microseconds = null;
        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Deliver(subscription.Microseconds ? microseconds ??= TimeUnits.ToMicroseconds(json)!.ToJsonString() : report, isReport);
        }
    }

    private sealed class UpdateObserver(SandboxEngine engine) : IObserver<OrderUpdate>
    {
        public void OnNext(OrderUpdate value) => engine.OnExchangeUpdate(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}

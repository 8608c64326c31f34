using Microsoft.Extensions.Logging;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// The shared core of both faces, cut in three: the <see cref="RequestGate"/> (keys, signatures, recvWindow, weights,
/// order-rate limits, faults) every request passes; the operations (<c>SandboxEngine.Orders.cs</c>,
/// <c>SandboxEngine.Queries.cs</c>) on the in-memory exchange and the order journal behind one async gate; and the
/// <see cref="UserDataBroadcaster"/> that sends executionReports and account events to the user data subscriptions.
/// </summary>
internal sealed partial class SandboxEngine : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly OrderJournal _journal = new();
    private readonly SandboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RequestGate _requests;
    private readonly UserDataBroadcaster _broadcaster;
    private readonly Dictionary<string, decimal> _lastPrices = new(StringComparer.Ordinal); // under the gate
    private readonly IDisposable _updates;
    private readonly HashSet<SelfTradePreventionMode> _stpModes;
    private List<OrderUpdate>? _deferred; // under the gate, while an order is being placed

    public SandboxEngine(SandboxOptions options, IReadOnlyList<SymbolFilters> symbols, SandboxFaults faults, SandboxDiagnostics diagnostics, ILogger logger)
    {
        _options = options;
        _stpModes = [.. options.AllowedSelfTradePreventionModes];
        _time = options.TimeProvider;
        _logger = logger;
        Faults = faults;
        Diagnostics = diagnostics;
        _requests = new RequestGate(options, faults, options.ApiKeys.ToDictionary(k => k.ApiKey, KeyVerifier.Of, StringComparer.Ordinal), logger);
        _broadcaster = new UserDataBroadcaster(faults, _time);
        var exchangeOptions = new InMemoryExchangeOptions
        {
            MakerFeeRate = options.FeeRate,
            TakerFeeRate = options.TakerFeeRate ?? options.FeeRate,
            FeeAsset = options.FeeAsset,
            PartialFills = options.PartialFills,
            StartTime = _time.GetUtcNow(),
            DefaultSelfTradePreventionMode = options.DefaultSelfTradePreventionMode,
        };
        exchangeOptions.AllowedSelfTradePreventionModes.IntersectWith(options.AllowedSelfTradePreventionModes);
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
            ["GET /api/v3/ping"] = new(_ => 1, false, false, (_, _) => new(new System.Text.Json.Nodes.JsonObject())),
            ["GET /api/v3/time"] = new(_ => 1, false, false, (_, _) => new(Time())),
            ["GET /api/v3/exchangeInfo"] = new(_ => 20, false, false, (r, _) => new(ExchangeInfo(r))),
            ["POST /api/v3/order"] = new(_ => 1, true, true, PlaceOrderAsync, WeightOnlyOnFailure: true),
            ["GET /api/v3/order"] = new(_ => 4, true, false, QueryOrderAsync, QueriesOrder: true),
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

    public IReadOnlyDictionary<string, SymbolFilters> Symbols { get; }

    /// <summary>REST endpoints by "METHOD /path".</summary>
    public IReadOnlyDictionary<string, ApiEndpoint> Rest { get; }

    /// <summary>WebSocket API methods (user data stream methods are per connection, see the session).</summary>
    public IReadOnlyDictionary<string, ApiEndpoint> WebSocketMethods { get; }

    public int WeightLimit => _options.RequestWeightPerMinute;

    public int IncomingMessagesPerSecond => _options.MaxIncomingMessagesPerSecond;

    public int OrdersPer10Seconds => _options.OrdersPer10Seconds;

    public int OrdersPerDay => _options.OrdersPerDay;

    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The kind of a registered API key, or null for a key the sandbox does not know.</summary>
    public KeyKind? KindOf(string apiKey) => _requests.KindOf(apiKey);

    /// <summary>Counts and logs an exception a request caused: a sandbox bug, answered -1000 by the face that caught it.</summary>
    public void ReportUnexpected(string face, Exception exception)
    {
        Diagnostics.UnexpectedError();
        Log.UnexpectedError(_logger, face, exception);
    }

    /// <summary>Runs one request through the gate (Binance's checks and the faults) and its operation.</summary>
    public Task<ApiResponse> ExecuteAsync(ApiEndpoint endpoint, ApiRequest request, CancellationToken cancellationToken) =>
        _requests.ExecuteAsync(endpoint, request, cancellationToken);

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

    /// <summary>A deposit (or withdrawal) under the gate: balanceUpdate, then outboundAccountPosition.</summary>
    public void Deposit(string asset, decimal amount)
    {
        _gate.Wait();
        try
        {
            Exchange.Deposit(asset, amount);
            var now = NowMs;
            _broadcaster.Deliver(new System.Text.Json.Nodes.JsonObject { ["e"] = "balanceUpdate", ["E"] = now, ["a"] = asset, ["d"] = BinanceJson.Number(amount), ["T"] = now });
            _broadcaster.AccountPosition([Exchange.GetBalance(asset)], now);
        }
        finally
        {
            _gate.Release();
        }
    }

    public long Subscribe(SocketConnection connection, bool microseconds = false) => _broadcaster.Subscribe(connection, microseconds);

    public bool Unsubscribe(long id) => _broadcaster.Unsubscribe(id);

    public bool Terminate(long id) => _broadcaster.Terminate(id);

    public int TerminateAll() => _broadcaster.TerminateAll();

    public IEnumerable<long> SubscriptionsOf(SocketConnection connection) => _broadcaster.SubscriptionsOf(connection);

    public void Dispose()
    {
        _updates.Dispose();
        _gate.Dispose();
    }

    // Runs on the thread that changed the exchange, which holds the gate: journal and delivery order follow the exchange's.
    // An update of an order the journal does not know yet (the taker fill of an order being placed) is dropped here:
    // PlaceOrderAsync journals it once the order is.
    private void OnExchangeUpdate(OrderUpdate update)
    {
        if (_deferred is { } deferred)
        {
            deferred.Add(update);
            return;
        }

        if (_journal.Apply(update, update.ExecutedQuantity > 0 ? FillsOf(update) : [], PreventedOf(update), NowMs) is { } applied)
        {
            _broadcaster.Reports(applied.Order, applied.Deltas, NowMs);
            BroadcastAccount(Symbols[update.Symbol]);
            CountFirstFill(applied.Order);
        }
    }

    // Binance's unfilled order count: an order's first fill (as taker on arrival or as maker later) takes it off the
    // count of the key that placed it, in every ORDERS window (X-MBX-ORDER-COUNT-* and the rateLimits show it).
    private void CountFirstFill(OrderRecord order)
    {
        if (order.Executed > 0 && !order.FillCounted && order.PlacedBy is { } apiKey)
        {
            order.FillCounted = true;
            _requests.Counters.RemoveOrder(apiKey);
        }
    }

    // After every order event that moves balances (placement locks, fills, cancel unlocks): the symbol's two assets.
    private void BroadcastAccount(SymbolFilters symbol)
    {
        if (!_broadcaster.IsEmpty)
        {
            _broadcaster.AccountPosition([Exchange.GetBalance(symbol.BaseAsset), Exchange.GetBalance(symbol.QuoteAsset)], NowMs);
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

    // The self-trades prevented with an order (under the gate, answered synchronously).
    private IReadOnlyList<PreventedMatch> PreventedOf(OrderUpdate update)
    {
        var prevented = Exchange.GetPreventedMatches(update.Symbol, update.OrderId);
        return prevented.IsSuccess ? prevented.Value : [];
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

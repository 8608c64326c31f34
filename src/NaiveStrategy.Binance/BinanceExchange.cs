using System.Collections.Concurrent;
using System.Globalization;
using System.Reactive.Linq;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.Binance;

/// <summary>
/// Binance spot behind <see cref="IExchange"/> and <see cref="IMarketData"/>: signed REST for orders and
/// account, the <c>&lt;symbol&gt;@trade</c> market streams (<see cref="BinanceMarketData"/>), and our order updates from the WebSocket API user data
/// stream (<c>userDataStream.subscribe.signature</c>, <c>executionReport</c>). Streams reconnect with
/// backoff (and before Binance's 24 h limit); once every (re)subscription of the user data stream is
/// confirmed, every order placed here whose end the stream has not reported (even one a cancel's answer
/// already ended) is queried and emitted, so no fill or cancel is missed across a reconnection. A placement
/// whose status is unknown is reported as <see cref="ExchangeErrorKind.Unknown"/>: the engine resolves it
/// (it owns retries).
/// </summary>
public sealed partial class BinanceExchange : IExchange, IMarketData, IAsyncDisposable, IDisposable
{
    private readonly BinanceExchangeOptions _options;
    private readonly BinanceRestClient _rest;
    private readonly BinanceSigner _signer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BinanceMarketData _marketData;
    private readonly ConcurrentDictionary<string, Fees> _fees = new(StringComparer.Ordinal);

    // The orders whose end was delivered, oldest first: their fees are kept a while (a late answer or a duplicated
    // report still finds them), then forgotten, so a bot that runs for weeks does not grow with every order.
    private readonly ConcurrentQueue<string> _ended = new();
    private readonly ConcurrentDictionary<string, string> _open = new(StringComparer.Ordinal);

    // Placements under way: an order the exchange does not know yet may still be on its way to it.
    private readonly ConcurrentDictionary<string, byte> _sending = new(StringComparer.Ordinal);

    // The executed quantity last handed to the subscriber, per order still open.
    private readonly ConcurrentDictionary<string, decimal> _executed = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposing = new();
    private readonly IObservable<OrderUpdate> _orderUpdates;

    /// <summary>How many ended orders keep their fees (tests lower it).</summary>
    internal int EndedFeesKept { get; init; } = 1_024;

    /// <summary>Orders whose end the subscriber has not seen yet (asked for after each reconnection).</summary>
    internal int WatchedOrders => _open.Count;

    /// <summary>Orders whose fees are tracked now.</summary>
    internal int TrackedFees => _fees.Count;

    /// <summary>The name of the <see cref="HttpClient"/> <c>AddBinanceExchange</c> registers with <c>AddHttpClient</c>.</summary>
    public const string HttpClientName = "NaiveStrategy.Binance";

    /// <summary>Creates the adapter.</summary>
    public BinanceExchange(HttpClient http, IOptions<BinanceExchangeOptions> options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        var validation = new BinanceExchangeOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(BinanceExchangeOptions), typeof(BinanceExchangeOptions), validation.Failures);
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NaiveStrategy.Binance");
        _signer = BinanceSigner.Create(_options);
        _rest = new BinanceRestClient(http, _options, _signer, _time, _logger);
        _orderUpdates = Observable.Create<OrderUpdate>(RunUserDataStreamAsync).Publish().RefCount();
        _marketData = new BinanceMarketData(
            Options.Create(new BinanceMarketDataOptions { UseTestnet = _options.UseTestnet, StreamBaseUrl = _options.StreamBaseUrl, ReconnectEvery = _options.ReconnectEvery }),
            _time,
            loggerFactory);
    }

    /// <summary>Request weight Binance reported used this minute.</summary>
    public int UsedWeight => _rest.UsedWeight;

    /// <summary>Orders Binance reported placed in the current 10-second window.</summary>
    public int OrderCount10Seconds => _rest.OrderCount10Seconds;

    /// <inheritdoc />
    public IObservable<OrderUpdate> OrderUpdates => _orderUpdates;

    /// <inheritdoc />
    public IObservable<TradeEvent> MarketTrades(string symbol) => _marketData.MarketTrades(symbol);

    /// <inheritdoc />
    public ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) =>
        PlaceAsync(request, SendOrderAsync, cancellationToken);

    // One send: a "maybe placed" answer (timeout, 5xx, -1007) comes back as ExchangeErrorKind.Unknown and the engine's
    // placement runner, the one owner of retries, resolves it. The order is watched from before the send, and
    // forgotten again only when the exchange surely refused it.
    private async ValueTask<ExchangeResult<OrderUpdate>> PlaceAsync(OrderRequest request, Func<OrderRequest, SymbolFilters, CancellationToken, Task<ExchangeResult<OrderUpdate>>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filters = await GetSymbolFiltersAsync(request.Symbol, cancellationToken);
        if (!filters.IsSuccess)
        {
            return filters.Error;
        }

        _open[request.ClientOrderId] = request.Symbol;
        _sending[request.ClientOrderId] = 0;
        try
        {
            var placed = await send(request, filters.Value, cancellationToken);
            if (!placed.IsSuccess)
            {
                placed = await AfterRefusalAsync(request, filters.Value, placed.Error, send, cancellationToken);
            }

            if (!placed.IsSuccess && placed.Error.Kind is not (ExchangeErrorKind.Unknown or ExchangeErrorKind.Duplicate))
            {
                _open.TryRemove(request.ClientOrderId, out _);
            }

            return placed;
        }
        finally
        {
            _sending.TryRemove(request.ClientOrderId, out _);
        }
    }

    /// <inheritdoc />
    public async ValueTask<ExchangeResult<OrderUpdate>> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default)
    {
        var answer = await _rest.SendAsync(HttpMethod.Get, "/api/v3/order", [new("symbol", symbol), new("origClientOrderId", clientOrderId)], signed: true, weight: 4, placesOrder: false, cancellationToken);
        return answer.IsSuccess ? Read(answer.Value, placesOrder: false, OrderUpdateSource.Query) : answer.Error;
    }

    /// <inheritdoc />
    public async ValueTask<ExchangeResult<OrderUpdate>> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default)
    {
        var answer = await _rest.SendAsync(HttpMethod.Delete, "/api/v3/order", [new("symbol", symbol), new("origClientOrderId", clientOrderId)], signed: true, weight: 1, placesOrder: false, cancellationToken);
        return answer.IsSuccess ? Read(answer.Value, placesOrder: false, OrderUpdateSource.Answer) : answer.Error;
    }

    /// <inheritdoc />
    public async ValueTask<ExchangeResult<IReadOnlyList<OrderFill>>> GetOrderFillsAsync(string symbol, long orderId, CancellationToken cancellationToken = default)
    {
        // Weight 5 with orderId (20 without), as Binance documents GET /api/v3/myTrades.
        var answer = await _rest.SendAsync(HttpMethod.Get, "/api/v3/myTrades", [new("symbol", symbol), new("orderId", orderId.ToString(CultureInfo.InvariantCulture))], signed: true, weight: 5, placesOrder: false, cancellationToken);
        if (!answer.IsSuccess)
        {
            return answer.Error;
        }

        try
        {
            IReadOnlyList<OrderFill> fills = answer.Value.EnumerateArray().Select(BinanceJson.Fill).ToArray();
            return ExchangeResult<IReadOnlyList<OrderFill>>.Success(fills);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            return new ExchangeError(ExchangeErrorKind.Transient, 0, "unreadable myTrades answer: " + ex.Message);
        }
    }

    /// <inheritdoc />
    public async ValueTask<ExchangeResult<IReadOnlyList<OrderUpdate>>> GetOpenOrdersAsync(string symbol, CancellationToken cancellationToken = default)
    {
        var answer = await _rest.SendAsync(HttpMethod.Get, "/api/v3/openOrders", [new("symbol", symbol)], signed: true, weight: 6, placesOrder: false, cancellationToken);
        if (!answer.IsSuccess)
        {
            return answer.Error;
        }

        try
        {
            IReadOnlyList<OrderUpdate> orders = answer.Value.EnumerateArray().Select(o => ToUpdate(o) with { Source = OrderUpdateSource.Query }).ToArray();
            return ExchangeResult<IReadOnlyList<OrderUpdate>>.Success(orders);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return new ExchangeError(ExchangeErrorKind.Transient, 0, "unreadable openOrders answer: " + ex.Message);
        }
    }

    /// <inheritdoc />
    public async ValueTask<ExchangeResult<IReadOnlyList<Balance>>> GetBalancesAsync(CancellationToken cancellationToken = default)
    {
        var answer = await _rest.SendAsync(HttpMethod.Get, "/api/v3/account", [new("omitZeroBalances", "true")], signed: true, weight: 20, placesOrder: false, cancellationToken);
        if (!answer.IsSuccess)
        {
            return answer.Error;
        }

        IReadOnlyList<Balance> balances = answer.Value.GetProperty("balances").EnumerateArray()
            .Select(b => new Balance(BinanceJson.String(b, "asset"), BinanceJson.Decimal(b, "free"), BinanceJson.Decimal(b, "locked"))).ToArray();
        return ExchangeResult<IReadOnlyList<Balance>>.Success(balances);
    }

    /// <summary>Closes the streams.</summary>
    public async ValueTask DisposeAsync()
    {
        // Cancelled, not disposed: stream loops still starting may read its token.
        await _disposing.CancelAsync();
        await _marketData.DisposeAsync();
    }

    /// <summary>Closes the streams without waiting for them (for <c>using</c> and a service provider disposed synchronously).</summary>
    public void Dispose()
    {
        _disposing.Cancel();
        _marketData.Dispose();
    }

    private async Task<ExchangeResult<OrderUpdate>> SendOrderAsync(OrderRequest request, SymbolFilters filters, CancellationToken cancellationToken)
    {
        var answer = await _rest.SendAsync(HttpMethod.Post, "/api/v3/order",
        [
            new("symbol", request.Symbol),
            new("side", request.Side == OrderSide.Buy ? "BUY" : "SELL"),
            new("type", "LIMIT"),
            new("timeInForce", "GTC"),
            new("quantity", filters.FormatQuantity(request.Quantity)),
            new("price", filters.FormatPrice(request.Price)),
            new("newClientOrderId", request.ClientOrderId),
            new("newOrderRespType", "RESULT"),
        ], signed: true, weight: 1, placesOrder: true, cancellationToken);
        return answer.IsSuccess ? Read(answer.Value, placesOrder: true, OrderUpdateSource.Answer) : answer.Error;
    }

    // An order answer we cannot read (a status this version does not know, a missing field) is an error value, not an
    // exception: for a placement the order may exist, so its status is unknown and the engine queries it.
    private ExchangeResult<OrderUpdate> Read(JsonElement order, bool placesOrder, OrderUpdateSource source)
    {
        try
        {
            return Track(ToUpdate(order) with { Source = source });
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return new ExchangeError(placesOrder ? ExchangeErrorKind.Unknown : ExchangeErrorKind.Transient, 0, "unreadable order answer: " + ex.Message);
        }
    }

    private OrderUpdate ToUpdate(JsonElement order)
    {
        var cid = order.TryGetProperty("origClientOrderId", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : BinanceJson.String(order, "clientOrderId");
        var fees = _fees.GetValueOrDefault(cid);
        var update = BinanceJson.Order(order, fees?.Total ?? 0m, fees?.Asset);

        // REST order answers carry no commission: only fills the user data stream showed us are counted.
        return fees?.Covers(update.ExecutedQuantity) ?? update.ExecutedQuantity == 0 ? update : update with { CommissionKnown = false };
    }

    // A call's answer: an order still open is watched until the stream (or a resync) has reported its end. A terminal
    // answer does not end the watch: the subscriber may not have seen that end yet (the stream was down when it
    // happened), and only the stream's own report or the next resync after a reconnection delivers it.
    private OrderUpdate Track(OrderUpdate update)
    {
        if (!update.Status.IsTerminal())
        {
            _open[update.ClientOrderId] = update.Symbol;
        }

        return update;
    }
}

using System.Collections.Concurrent;
using NaiveStrategy.Reactive;

namespace NaiveStrategy.Mock;

/// <summary>
/// An in-memory exchange with the book's matching (a resting BUY fills as maker at its price when a market trade is
/// strictly below it, a resting SELL strictly above), taker fills on arrival (an order that crosses the last
/// trade's price fills at once at that price), plus maker and taker fees, balances, Binance's filter checks and error codes,
/// cancel and queries, optional partial fills, and deterministic ids: orders and their fills are numbered per
/// symbol from 1, as Binance numbers them, so one symbol's ids do not depend on other symbols' orders. Every call completes
/// synchronously. Market trades enter through <see cref="PublishTrade"/>: orders are matched first,
/// then order updates and the trade are published, outside the exchange's lock.
/// </summary>
public sealed partial class InMemoryExchange : IExchange, IMarketData
{
    private readonly Lock _gate = new();
    private readonly InMemoryExchangeOptions _options;
    private readonly Dictionary<string, SymbolFilters> _symbols = new(StringComparer.Ordinal);
    private readonly Ledger _ledger;
    private readonly FeeModel _fees;
    private readonly FillModel _fill;
    private readonly Dictionary<string, List<MockOrder>> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdSequences> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Symbol, string ClientOrderId), MockOrder> _byClientId = [];
    // Every order, in placement order, when the exchange keeps them all; with FinishedOrdersKept, the finished
    // orders kept, oldest first (the open ones are in _open).
    private readonly List<MockOrder> _all = [];
    private readonly Queue<MockOrder> _finished = new();
    private long _placed;
    private readonly ConcurrentDictionary<string, ObserverSet<TradeEvent>> _trades = new(StringComparer.Ordinal);
    private readonly ObserverSet<OrderUpdate> _updates = new();
    private readonly Queue<PlacementFault> _faults = new();
    private readonly ConcurrentDictionary<string, SymbolBook> _routes = new(StringComparer.Ordinal);
    private RouteCache? _lastRoute;

    /// <summary>Creates an exchange.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public InMemoryExchange(InMemoryExchangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        foreach (var filters in options.Symbols)
        {
            _symbols[filters.Symbol] = filters;
            _open[filters.Symbol] = [];
            _ids[filters.Symbol] = new IdSequences();
        }

        _ledger = new Ledger(options.Balances);
        _fees = new FeeModel(options.MakerFeeRate, options.TakerFeeRate, options.FeeAsset);
        _fill = new FillModel(options.PartialFills);

        Clock = new MarketClock(options.StartTime);
    }

    /// <summary>The exchange's clock: the time of the last market trade.</summary>
    public MarketClock Clock { get; }

    /// <summary>
    /// The fill model (<see cref="InMemoryExchangeOptions.PartialFills"/>): true when a market trade fills crossing
    /// orders only up to its own quantity, false when a crossing order fills fully.
    /// </summary>
    public bool PartialFills => _fill.PartialFills;

    /// <inheritdoc />
    public IObservable<OrderUpdate> OrderUpdates => _updates.AsObservable();

    /// <summary>How many finished orders are kept (<see cref="InMemoryExchangeOptions.FinishedOrdersKept"/>); null: every order.</summary>
    public int? FinishedOrdersKept => _options.FinishedOrdersKept;

    /// <summary>
    /// Every order accepted, in placement order, at its current state (less the finished orders forgotten
    /// beyond <see cref="InMemoryExchangeOptions.FinishedOrdersKept"/>, when set).
    /// </summary>
    public IReadOnlyList<OrderUpdate> Orders
    {
        get
        {
            lock (_gate)
            {
                IEnumerable<MockOrder> orders = _options.FinishedOrdersKept is null ? _all : _finished.Concat(_open.Values.SelectMany(o => o)).OrderBy(o => o.Placed);
                return orders.Select(o => o.ToUpdate(OrderUpdateSource.Query)).ToArray();
            }
        }
    }

    /// <inheritdoc />
    public IObservable<TradeEvent> MarketTrades(string symbol) => _trades.GetOrAdd(symbol, static _ => new ObserverSet<TradeEvent>()).AsObservable();

    /// <summary>
    /// Makes the next placement fail with <paramref name="error"/>; when <paramref name="acceptOrder"/>
    /// is true the order is accepted anyway (a 5xx or timeout after the exchange took the order).
    /// </summary>
    public void InjectPlacementFault(ExchangeError error, bool acceptOrder)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_gate)
        {
            _faults.Enqueue(new PlacementFault(error, acceptOrder));
        }
    }

    /// <summary>
    /// A public trade happens: crossing orders fill, then their updates and the trade are published.
    /// Allocates nothing when no order fills.
    /// </summary>
    public void PublishTrade(in TradeEvent trade)
    {
        List<OrderUpdate>? fills = null;
        var route = RouteOf(trade.Symbol);
        Clock.AdvanceTo(trade.Time);
        var left = trade.Quantity;

        // Most trades cross nothing: decided from the route's published best bid and ask, without the lock. A
        // placement that publishes its price after this read is, for this trade, an order placed after it.
        if (route.Crosses(trade.Price))
        {
            lock (_gate)
            {
                if (route.Open is { Count: > 0 } open && route.Crosses(trade.Price))
                {
                    fills = Match(open, trade, ref left);
                    route.Refresh();
                }
            }
        }

        if (Volatile.Read(ref _marketPending) > 0)
        {
            fills = FillMarketOrders(trade, fills, ref left);
        }

        route.LastTrade.Set(trade.Price, left);

        if (fills is not null)
        {
            foreach (var update in fills)
            {
                _updates.OnNext(update);
            }
        }

        route.Observers.OnNext(trade);
    }

    /// <summary>
    /// The best bid and ask among <paramref name="symbol"/>'s open orders, as matching reads them: a trade priced
    /// within [bid, ask] (both included) crosses nothing. <see cref="decimal.MinValue"/> / <see cref="decimal.MaxValue"/>
    /// when there is no open BUY / SELL. While a MARKET order waits for its trade, every trade fills something: the
    /// band is empty (bid <see cref="decimal.MaxValue"/>, ask <see cref="decimal.MinValue"/>).
    /// </summary>
    public (decimal BestBid, decimal BestAsk) GetBestBidAsk(string symbol) =>
        Volatile.Read(ref _marketPending) > 0 ? (decimal.MaxValue, decimal.MinValue) : RouteOf(symbol).BestBidAsk;

    /// <summary>The free and locked amounts of an asset.</summary>
    public Balance GetBalance(string asset)
    {
        lock (_gate)
        {
            return _ledger.Balance(asset);
        }
    }

    /// <summary>Adds <paramref name="amount"/> to the free balance of <paramref name="asset"/> (a deposit; negative: a withdrawal).</summary>
    /// <exception cref="InvalidOperationException">A withdrawal larger than the free balance.</exception>
    public void Deposit(string asset, decimal amount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(asset);
        lock (_gate)
        {
            _ledger.Deposit(asset, amount);
        }
    }

    /// <summary>The filters of a listed symbol, or null.</summary>
    public SymbolFilters? FindSymbol(string symbol) => _symbols.GetValueOrDefault(symbol);

    /// <inheritdoc />
    public ValueTask<ExchangeResult<SymbolFilters>> GetSymbolFiltersAsync(string symbol, CancellationToken cancellationToken = default) =>
        new(_symbols.TryGetValue(symbol, out var filters) ? filters : InvalidSymbol());

    /// <inheritdoc />
    /// <remarks>With the default self-trade prevention mode (<see cref="InMemoryExchangeOptions.DefaultSelfTradePreventionMode"/>).</remarks>
    public ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) =>
        PlaceLimitOrderAsync(request, null, cancellationToken);

    /// <summary>
    /// Places a LIMIT order with a self-trade prevention mode (null: <see cref="InMemoryExchangeOptions.DefaultSelfTradePreventionMode"/>):
    /// a mode not in <see cref="InMemoryExchangeOptions.AllowedSelfTradePreventionModes"/> is -1013, as Binance answers.
    /// </summary>
    public ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, SelfTradePreventionMode? selfTradePreventionMode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ExchangeResult<OrderUpdate> placed;
        ExchangeError? answer = null;
        List<OrderUpdate>? makers = null;
        lock (_gate)
        {
            var fault = _faults.Count > 0 ? _faults.Dequeue() : null;
            if (fault is { AcceptOrder: false })
            {
                return new(fault.Error);
            }

            placed = Place(request, selfTradePreventionMode ?? _options.DefaultSelfTradePreventionMode, ref makers);
            if (fault is not null && placed.IsSuccess)
            {
                // Accepted, but the caller hears of it only through the update stream or a query.
                answer = fault.Error;
            }
        }

        // The new order first (when anything happened to it on arrival), then the resting orders it met.
        if (placed.IsSuccess && placed.Value.Status != OrderStatus.New)
        {
            _updates.OnNext(placed.Value with { Source = OrderUpdateSource.Stream });
        }

        foreach (var maker in makers ?? [])
        {
            _updates.OnNext(maker);
        }

        return new(answer ?? placed);
    }

    /// <inheritdoc />
    public ValueTask<ExchangeResult<OrderUpdate>> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_byClientId.TryGetValue((symbol, clientOrderId), out var order)
                ? order.ToUpdate(OrderUpdateSource.Query)
                : new ExchangeError(ExchangeErrorKind.NotFound, -2013, "Order does not exist."));
        }
    }

    /// <inheritdoc />
    public ValueTask<ExchangeResult<OrderUpdate>> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default)
    {
        OrderUpdate update;
        lock (_gate)
        {
            if (!_byClientId.TryGetValue((symbol, clientOrderId), out var order) || order.Status.IsTerminal())
            {
                return new(new ExchangeError(ExchangeErrorKind.Rejected, -2011, "Unknown order sent."));
            }

            order.Status = OrderStatus.Canceled;
            order.Time = Clock.GetUtcNow();
            Unlock(order);
            _open[symbol].Remove(order);
            RouteOf(symbol).Refresh();
            update = order.ToUpdate(OrderUpdateSource.Answer);
            Finished(order);
        }

        _updates.OnNext(update with { Source = OrderUpdateSource.Stream });
        return new(update);
    }

    /// <inheritdoc />
    public ValueTask<ExchangeResult<IReadOnlyList<OrderFill>>> GetOrderFillsAsync(string symbol, long orderId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_symbols.ContainsKey(symbol))
            {
                return new(InvalidSymbol());
            }

            var order = FindOrder(symbol, orderId);
            return order is null
                ? new(new ExchangeError(ExchangeErrorKind.NotFound, -2013, "Order does not exist."))
                : new(ExchangeResult<IReadOnlyList<OrderFill>>.Success(order.Fills?.ToArray() ?? []));
        }
    }

    /// <inheritdoc />
    public ValueTask<ExchangeResult<IReadOnlyList<OrderUpdate>>> GetOpenOrdersAsync(string symbol, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(symbol, out var open))
            {
                return new(InvalidSymbol());
            }

            return new(ExchangeResult<IReadOnlyList<OrderUpdate>>.Success(open.Select(o => o.ToUpdate(OrderUpdateSource.Query)).ToArray()));
        }
    }

    /// <inheritdoc />
    public ValueTask<ExchangeResult<IReadOnlyList<Balance>>> GetBalancesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(ExchangeResult<IReadOnlyList<Balance>>.Success(_ledger.Balances()));
        }
    }

    // Replays feed long runs of one symbol: remember its route by the string's reference instead of
    // hashing the symbol per trade. One route per symbol, whatever string instance names it.
    private SymbolBook RouteOf(string symbol)
    {
        var last = _lastRoute;
        if (last is not null && ReferenceEquals(last.Name, symbol))
        {
            return last.Route;
        }

        // The factory takes the exchange as an argument: a lambda capturing it would be a new delegate at every call.
        var route = _routes.GetOrAdd(symbol, static (s, self) => new SymbolBook(self._open.GetValueOrDefault(s), self._trades.GetOrAdd(s, static _ => new ObserverSet<TradeEvent>())), this);
        _lastRoute = new RouteCache(symbol, route);
        return route;
    }

    private sealed record RouteCache(string Name, SymbolBook Route);

    private static ExchangeError InvalidSymbol() => new(ExchangeErrorKind.Rejected, -1121, "Invalid symbol.");

    private ExchangeResult<OrderUpdate> Place(OrderRequest request, SelfTradePreventionMode mode, ref List<OrderUpdate>? makers)
    {
        if (!_symbols.TryGetValue(request.Symbol, out var filters))
        {
            return InvalidSymbol();
        }

        if (!_options.AllowedSelfTradePreventionModes.Contains(mode))
        {
            return new ExchangeError(ExchangeErrorKind.Rejected, -1013, "This symbol does not allow the specified self-trade prevention mode.");
        }

        var failure = filters.FindFilterFailure(request.Price, request.Quantity);
        if (failure is not null)
        {
            return new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: " + failure);
        }

        if (_byClientId.TryGetValue((request.Symbol, request.ClientOrderId), out var existing) && !existing.Status.IsTerminal())
        {
            return new ExchangeError(ExchangeErrorKind.Duplicate, -2010, "Duplicate order sent.");
        }

        var (asset, amount) = request.Side == OrderSide.Buy
            ? (filters.QuoteAsset, _fees.BuyLock(request.Price, request.Quantity))
            : (filters.BaseAsset, request.Quantity);
        if (!_ledger.TryLock(asset, amount))
        {
            return new ExchangeError(ExchangeErrorKind.InsufficientFunds, -2010, "Account has insufficient balance for requested action.");
        }

        var order = new MockOrder(_ids[request.Symbol].NextOrderId++, request, filters, asset, amount) { Time = Clock.GetUtcNow(), Placed = ++_placed, Mode = mode };
        _byClientId[(request.Symbol, request.ClientOrderId)] = order;
        Keep(order);

        var route = RouteOf(request.Symbol);
        Arrive(order, route, ref makers);
        if (order.Status.IsTerminal())
        {
            Finished(order);
            return order.ToUpdate(OrderUpdateSource.Answer);
        }

        _open[request.Symbol].Add(order);
        route.Refresh();
        return order.ToUpdate(OrderUpdateSource.Answer);
    }

    // The order numbered orderId of a listed symbol, if kept. Every order kept: a binary search of the symbol's orders
    // (numbered in placement order), so a backtest asking for each order's fills does not scan every order each time.
    private MockOrder? FindOrder(string symbol, long orderId)
    {
        if (_options.FinishedOrdersKept is not null)
        {
            return _finished.Concat(_open[symbol]).FirstOrDefault(o => o.OrderId == orderId && string.Equals(o.Request.Symbol, symbol, StringComparison.Ordinal));
        }

        var orders = _ids[symbol].Orders;
        var (low, high) = (0, orders.Count - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var id = orders[middle].OrderId;
            if (id == orderId)
            {
                return orders[middle];
            }

            (low, high) = id < orderId ? (middle + 1, high) : (low, middle - 1);
        }

        return null;
    }

    // A new order, numbered next for its symbol; every order is kept unless FinishedOrdersKept bounds them.
    private void Keep(MockOrder order)
    {
        if (_options.FinishedOrdersKept is null)
        {
            _all.Add(order);
            _ids[order.Request.Symbol].Orders.Add(order);
        }
    }

    // A filled or canceled order: beyond the bound, the oldest finished order is forgotten (its client order id
    // may be used again, as on Binance). O(1) per order: nothing is searched or compacted.
    private void Finished(MockOrder order)
    {
        if (_options.FinishedOrdersKept is not { } kept)
        {
            return;
        }

        _finished.Enqueue(order);
        while (_finished.Count > kept)
        {
            var old = _finished.Dequeue();
            var key = (old.Request.Symbol, old.Request.ClientOrderId);
            if (_byClientId.TryGetValue(key, out var current) && ReferenceEquals(current, old))
            {
                _byClientId.Remove(key);
            }
        }
    }

    private sealed record PlacementFault(ExchangeError Error, bool AcceptOrder);
}

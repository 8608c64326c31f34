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
    private readonly Dictionary<string, decimal> _free = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _locked = new(StringComparer.Ordinal);
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
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
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

        foreach (var (asset, amount) in options.Balances)
        {
            _free[asset] = amount;
        }

        Clock = new MarketClock(options.StartTime);
    }

    /// <summary>The exchange's clock: the time of the last market trade.</summary>
    public MarketClock Clock { get; }

    /// <summary>
    /// The fill model (<see cref="InMemoryExchangeOptions.PartialFills"/>): true when a market trade fills crossing
    /// orders only up to its own quantity, false when a crossing order fills fully.
    /// </summary>
    public bool PartialFills => _options.PartialFills;

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
                return orders.Select(o => o.ToUpdate()).ToArray();
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

        route.LastTrade.Set(trade.Price, left);

        if (Volatile.Read(ref _marketPending) > 0)
        {
            fills = FillMarketOrders(trade, fills);
        }

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
            return new Balance(asset, _free.GetValueOrDefault(asset), _locked.GetValueOrDefault(asset));
        }
    }

    /// <summary>Adds <paramref name="amount"/> to the free balance of <paramref name="asset"/> (a deposit; negative: a withdrawal).</summary>
    /// <exception cref="InvalidOperationException">A withdrawal larger than the free balance.</exception>
    public void Deposit(string asset, decimal amount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(asset);
        lock (_gate)
        {
            var free = _free.GetValueOrDefault(asset) + amount;
            if (free < 0)
            {
                throw new InvalidOperationException($"Cannot withdraw {-amount} {asset}: only {_free.GetValueOrDefault(asset)} is free.");
            }

            _free[asset] = free;
        }
    }

    /// <summary>The filters of a listed symbol, or null.</summary>
    public SymbolFilters? FindSymbol(string symbol) => _symbols.GetValueOrDefault(symbol);

    /// <inheritdoc />
    public ValueTask<ExchangeResult<SymbolFilters>> GetSymbolFiltersAsync(string symbol, CancellationToken cancellationToken = default) =>
        new(_symbols.TryGetValue(symbol, out var filters) ? filters : InvalidSymbol());

    /// <inheritdoc />
    public ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ExchangeResult<OrderUpdate> placed;
        ExchangeError? answer = null;
        lock (_gate)
        {
            var fault = _faults.Count > 0 ? _faults.Dequeue() : null;
            if (fault is { AcceptOrder: false })
            {
                return new(fault.Error);
            }

            placed = Place(request);
            if (fault is not null && placed.IsSuccess)
            {
                // Accepted, but the caller hears of it only through the update stream or a query.
                answer = fault.Error;
            }
        }

        if (placed.IsSuccess && placed.Value.ExecutedQuantity > 0)
        {
            _updates.OnNext(placed.Value);
        }

        return new(answer ?? placed);
    }

    /// <inheritdoc />
    public ValueTask<ExchangeResult<OrderUpdate>> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_byClientId.TryGetValue((symbol, clientOrderId), out var order)
                ? order.ToUpdate()
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
            update = order.ToUpdate();
            Finished(order);
        }

        _updates.OnNext(update);
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

            IEnumerable<MockOrder> orders = _options.FinishedOrdersKept is null ? _all : _finished.Concat(_open[symbol]);
            var order = orders.FirstOrDefault(o => o.OrderId == orderId && string.Equals(o.Request.Symbol, symbol, StringComparison.Ordinal));
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

            return new(ExchangeResult<IReadOnlyList<OrderUpdate>>.Success(open.Select(o => o.ToUpdate()).ToArray()));
        }
    }

    /// <inheritdoc />
    public ValueTask<ExchangeResult<IReadOnlyList<Balance>>> GetBalancesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<Balance> balances = _free.Keys.Union(_locked.Keys).Order(StringComparer.Ordinal)
                .Select(a => new Balance(a, _free.GetValueOrDefault(a), _locked.GetValueOrDefault(a))).ToArray();
            return new(ExchangeResult<IReadOnlyList<Balance>>.Success(balances));
        }
    }

    // Replays feed long runs of one symbol: remember its route by the string's reference instead of
    // hashing the symbol per trade. One route per symbol, whatever string instance names it.
    private Route RouteOf(string symbol)
    {
        var last = _lastRoute;
        if (last is not null && ReferenceEquals(last.Name, symbol))
        {
            return last.Route;
        }

        var route = _routes.GetOrAdd(symbol, s => new Route(_open.GetValueOrDefault(s), _trades.GetOrAdd(s, static _ => new ObserverSet<TradeEvent>())));
        _lastRoute = new RouteCache(symbol, route);
        return route;
    }

    private sealed record RouteCache(string Name, Route Route);

    // Per symbol: its open orders, its trade observers, and the best bid and ask among the open orders,
    // so a trade that crosses nothing costs two comparisons. Refreshed whenever the open orders change.
    private sealed class Route(List<MockOrder>? open, ObserverSet<TradeEvent> observers)
    {
        private static readonly Book Empty = new(decimal.MinValue, decimal.MaxValue);

        // Replaced whole, never changed in place: a reader without the lock sees one consistent pair.
        private Book _book = Empty;

        public List<MockOrder>? Open { get; } = open;

        public ObserverSet<TradeEvent> Observers { get; } = observers;

        public LastTrade LastTrade { get; } = new();

        // Strict cross: a BUY fills under its price, a SELL over it.
        public bool Crosses(decimal price)
        {
            var book = Volatile.Read(ref _book);
            return price < book.BestBid || price > book.BestAsk;
        }

        public (decimal BestBid, decimal BestAsk) BestBidAsk
        {
            get
            {
                var book = Volatile.Read(ref _book);
                return (book.BestBid, book.BestAsk);
            }
        }

        // Under the exchange's lock, whenever the open orders change.
        public void Refresh()
        {
            var (bid, ask) = (decimal.MinValue, decimal.MaxValue);
            foreach (var order in Open ?? [])
            {
                if (order.Side == OrderSide.Buy)
                {
                    bid = Math.Max(bid, order.Price);
                }
                else
                {
                    ask = Math.Min(ask, order.Price);
                }
            }

            Volatile.Write(ref _book, bid == decimal.MinValue && ask == decimal.MaxValue ? Empty : new Book(bid, ask));
        }

        private sealed record Book(decimal BestBid, decimal BestAsk);
    }

    // A symbol's last market trade: its price and the quantity of it that orders have not yet taken (what a taker
    // fill can take with PartialFills). Written by PublishTrade outside the exchange's lock, so it has its own.
    private sealed class LastTrade
    {
        private readonly Lock _lock = new();
        private decimal? _price;
        private decimal _left;

        public void Set(decimal price, decimal left)
        {
            lock (_lock)
            {
                (_price, _left) = (price, left);
            }
        }

        // What an order arriving now takes: nothing when it does not cross the last trade's price (or there was none).
        public (decimal Price, decimal Quantity)? Take(OrderSide side, decimal limit, decimal quantity, bool partial)
        {
            lock (_lock)
            {
                if (_price is not { } price || (side == OrderSide.Buy ? price >= limit : price <= limit))
                {
                    return null;
                }

                var taken = partial ? Math.Min(quantity, _left) : quantity;
                if (taken <= 0)
                {
                    return null;
                }

                _left = Math.Max(0, _left - taken);
                return (price, taken);
            }
        }
    }

    private static ExchangeError InvalidSymbol() => new(ExchangeErrorKind.Rejected, -1121, "Invalid symbol.");

    private ExchangeResult<OrderUpdate> Place(OrderRequest request)
    {
        if (!_symbols.TryGetValue(request.Symbol, out var filters))
        {
            return InvalidSymbol();
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
            ? (filters.QuoteAsset, request.Price * request.Quantity * (_options.FeeAsset == FeeAsset.Quote ? 1 + Math.Max(_options.MakerFeeRate, _options.TakerFeeRate) : 1))
            : (filters.BaseAsset, request.Quantity);
        if (_free.GetValueOrDefault(asset) < amount)
        {
            return new ExchangeError(ExchangeErrorKind.InsufficientFunds, -2010, "Account has insufficient balance for requested action.");
        }

        _free[asset] = _free.GetValueOrDefault(asset) - amount;
        _locked[asset] = _locked.GetValueOrDefault(asset) + amount;
        var order = new MockOrder(_ids[request.Symbol].NextOrderId++, request, filters, asset, amount) { Time = Clock.GetUtcNow(), Placed = ++_placed };
        _byClientId[(request.Symbol, request.ClientOrderId)] = order;
        if (_options.FinishedOrdersKept is null)
        {
            _all.Add(order);
        }

        var route = RouteOf(request.Symbol);
        TakeOnArrival(order, route.LastTrade);
        if (order.Status == OrderStatus.Filled)
        {
            Finished(order);
            return order.ToUpdate();
        }

        _open[request.Symbol].Add(order);
        route.Refresh();
        return order.ToUpdate();
    }

    // Taker: an order that crosses the last trade's price (strictly, as the resting rule) trades at once at that
    // price, fully, or with PartialFills up to what of that trade's quantity earlier orders left; the rest rests.
    // There is no book depth here: the last trade's price stands for the opposite side of the book.
    private void TakeOnArrival(MockOrder order, LastTrade last)
    {
        if (last.Take(order.Side, order.Price, order.Quantity, _options.PartialFills) is { } taken)
        {
            Fill(order, taken.Quantity, Clock.GetUtcNow(), taken.Price, isMaker: false);
        }
    }

    private List<OrderUpdate>? Match(List<MockOrder> open, in TradeEvent trade, ref decimal left)
    {
        List<MockOrder>? crossing = null;
        foreach (var order in open)
        {
            if (order.Side == OrderSide.Buy ? trade.Price < order.Price : trade.Price > order.Price)
            {
                (crossing ??= []).Add(order);
            }
        }

        if (crossing is null)
        {
            return null;
        }

        // Best price first, then time: the order a real book would fill them in.
        crossing.Sort(static (a, b) => a.Side != b.Side ? a.Side.CompareTo(b.Side)
            : a.Price != b.Price ? (a.Side == OrderSide.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price))
            : a.OrderId.CompareTo(b.OrderId));
        var updates = new List<OrderUpdate>(crossing.Count);
        var available = trade.Quantity;
        foreach (var order in crossing)
        {
            var quantity = _options.PartialFills ? Math.Min(order.Quantity - order.ExecutedQuantity, available) : order.Quantity - order.ExecutedQuantity;
            if (quantity <= 0)
            {
                continue;
            }

            available -= quantity;
            Fill(order, quantity, trade.Time, order.Price, isMaker: true);
            updates.Add(order.ToUpdate());
            if (order.Status == OrderStatus.Filled)
            {
                open.Remove(order);
                Finished(order);
            }
        }

        left = Math.Max(0, available);
        return updates.Count == 0 ? null : updates;
    }

    private void Fill(MockOrder order, decimal quantity, DateTimeOffset time, decimal price, bool isMaker)
    {
        var f = order.Filters;
        var notional = price * quantity;
        var rate = isMaker ? _options.MakerFeeRate : _options.TakerFeeRate;
        order.ExecutedQuantity += quantity;
        order.Status = order.ExecutedQuantity == order.Quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        order.Time = time;
        if (order.Side == OrderSide.Buy)
        {
            var spent = _options.FeeAsset == FeeAsset.Quote ? notional * (1 + rate) : notional;
            Release(f.QuoteAsset, spent, order);
            var fee = _options.FeeAsset == FeeAsset.Quote ? notional * rate : quantity * rate;
            var feeAsset = _options.FeeAsset == FeeAsset.Quote ? f.QuoteAsset : f.BaseAsset;
            Credit(f.BaseAsset, quantity - (feeAsset == f.BaseAsset ? fee : 0));
            Record(order, new Execution(quantity, price, fee, feeAsset, time, isMaker));
        }
        else
        {
            Release(f.BaseAsset, quantity, order);
            var fee = notional * rate;
            Credit(f.QuoteAsset, notional - fee);
            Record(order, new Execution(quantity, price, fee, f.QuoteAsset, time, isMaker));
        }

        if (order.Status == OrderStatus.Filled)
        {
            Unlock(order);
        }
    }

    // The order's cumulative commission and its trade history (what GetOrderFillsAsync answers).
    private void Record(MockOrder order, Execution e)
    {
        order.Commission += e.Fee;
        order.CommissionAsset = e.FeeAsset;
        (order.Fills ??= []).Add(new OrderFill(order.Request.Symbol, _ids[order.Request.Symbol].NextTradeId++, order.OrderId, e.Price, e.Quantity, e.Fee, e.FeeAsset, e.Time) { IsMaker = e.IsMaker });
    }

    private readonly record struct Execution(decimal Quantity, decimal Price, decimal Fee, string FeeAsset, DateTimeOffset Time, bool IsMaker);

    // Takes a filled amount out of the order's lock.
    private void Release(string asset, decimal amount, MockOrder order)
    {
        _locked[asset] = _locked.GetValueOrDefault(asset) - amount;
        order.LockedRemaining -= amount;
    }

    // Returns whatever the order still locks to the free balance.
    private void Unlock(MockOrder order)
    {
        _locked[order.LockedAsset] = _locked.GetValueOrDefault(order.LockedAsset) - order.LockedRemaining;
        Credit(order.LockedAsset, order.LockedRemaining);
        order.LockedRemaining = 0;
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

    private void Credit(string asset, decimal amount) => _free[asset] = _free.GetValueOrDefault(asset) + amount;

    // One symbol's next order id and next fill (trade) id.
    private sealed class IdSequences
    {
        public long NextOrderId { get; set; } = 1;

        public long NextTradeId { get; set; } = 1;
    }

    private sealed record PlacementFault(ExchangeError Error, bool AcceptOrder);

    private sealed class MockOrder(long orderId, OrderRequest request, SymbolFilters filters, string lockedAsset, decimal locked)
    {
        public long OrderId { get; } = orderId;

        public OrderRequest Request { get; } = request;

        public SymbolFilters Filters { get; } = filters;

        public OrderSide Side => Request.Side;

        public decimal Price => Request.Price;

        public decimal Quantity => Request.Quantity;

        public string LockedAsset { get; } = lockedAsset;

        public decimal LockedRemaining { get; set; } = locked;

        public decimal ExecutedQuantity { get; set; }

        public OrderStatus Status { get; set; } = OrderStatus.New;

        public decimal Commission { get; set; }

        public string? CommissionAsset { get; set; }

        public DateTimeOffset Time { get; set; }

        public List<OrderFill>? Fills { get; set; }

        /// <summary>The exchange's placement sequence, over every symbol (the order of <see cref="Orders"/>).</summary>
        public long Placed { get; init; }

        /// <summary>A MARKET order's cumulative quote executed (what its updates report as <see cref="OrderUpdate.QuoteQuantity"/>).</summary>
        public decimal QuoteQuantity { get; set; }

        public OrderUpdate ToUpdate() => new(Request.Symbol, Request.ClientOrderId, OrderId, Side, Price, Quantity, ExecutedQuantity, Status, Commission, CommissionAsset, Time)
        {
            QuoteQuantity = Request.Type == OrderType.Market ? QuoteQuantity : null,
        };
    }
}

using System.Reactive.Subjects;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Backtesting.Parity;

/// <summary>
/// The replay's exchange and market data as its engine sees them, timed as live's were. Live hears of a fill on one
/// stream and of market trades on another: the fill a moment after the trade that made it, or before live has even
/// received that trade (its market stream behind the exchange). What it decides next (the sell, the trader that
/// replaces a finished one) it decides on the next trade it takes. So an order update live also took (the same
/// trader's order, side, price and quantity, with the same status) reaches the replay's engine right after the trade
/// live had received when it took it (its update mark): held back when the exchange made it earlier, and when live
/// took it before receiving the trade that made it, the exchange runs ahead to that trade while the engine's trades
/// wait. Placing an order stays instant: a trade that crossed live's order before the exchange acknowledged it is
/// still a divergence (latency).
/// </summary>
internal sealed class LiveTiming : IExchange, IMarketData, IDisposable
{
    private readonly Subject<TradeEvent> _trades = new();
    private readonly InMemoryExchange _inner;
    private readonly Dictionary<(string Key, OrderSide Side, decimal Price, decimal Quantity), List<(OrderStatus Status, long TradeId)>> _heard;
    private readonly Subject<OrderUpdate> _updates = new();
    private readonly List<(long After, OrderUpdate Update)> _held = [];
    private readonly HashSet<long> _fillsHeardAt;
    private readonly IDisposable _subscription;
    private long _trade = long.MinValue;

    /// <param name="inner">The replay's exchange.</param>
    /// <param name="heard">Per live order (key, side, price, quantity): the status of each update live took and the trade it had received then, oldest first.</param>
    public LiveTiming(InMemoryExchange inner, Dictionary<(string Key, OrderSide Side, decimal Price, decimal Quantity), List<(OrderStatus Status, long TradeId)>> heard)
    {
        (_inner, _heard) = (inner, heard);
        _fillsHeardAt = [.. heard.Values.SelectMany(h => h).Where(h => h.Status is OrderStatus.Filled or OrderStatus.PartiallyFilled).Select(h => h.TradeId)];
        _subscription = inner.OrderUpdates.Subscribe(OnUpdate);
    }

    public IObservable<OrderUpdate> OrderUpdates => _updates;

    /// <summary>The trades the engine takes, fed by <see cref="Feed"/>.</summary>
    public IObservable<TradeEvent> MarketTrades(string symbol) => _trades;

    /// <summary>The engine takes a trade (the exchange has published it).</summary>
    public void Feed(in TradeEvent trade) => _trades.OnNext(trade);

    /// <summary>
    /// Whether live took a fill of <paramref name="order"/> (an open order of the replay's exchange) having received
    /// trade <paramref name="tradeId"/> at most, and the replay has not made it yet: the exchange must run ahead.
    /// </summary>
    public bool HeardFillBy(OrderUpdate order, long tradeId)
    {
        lock (_held)
        {
            return _heard.TryGetValue((ParityReport.KeyOf(order.ClientOrderId), order.Side, order.Price, order.Quantity), out var heard)
                && heard.Exists(h => h.Status is OrderStatus.Filled or OrderStatus.PartiallyFilled && h.TradeId <= tradeId);
        }
    }

    /// <summary>Whether live took any fill having received trade <paramref name="tradeId"/>.</summary>
    public bool AnyFillHeardAt(long tradeId) => _fillsHeardAt.Contains(tradeId);

    /// <summary>Before the engine takes trade <paramref name="tradeId"/>: the updates live had taken by then reach it.</summary>
    public void Before(long tradeId)
    {
        while (true)
        {
            OrderUpdate update;
            lock (_held)
            {
                _trade = tradeId;
                if (_held.Count == 0 || _held[0].After >= tradeId)
                {
                    return;
                }

                update = _held[0].Update;
                _held.RemoveAt(0);
            }

            _updates.OnNext(update);
        }
    }

    /// <summary>After the last trade: whatever is still held.</summary>
    public void Flush() => Before(long.MaxValue);

    public ValueTask<ExchangeResult<SymbolFilters>> GetSymbolFiltersAsync(string symbol, CancellationToken cancellationToken = default) => _inner.GetSymbolFiltersAsync(symbol, cancellationToken);

    public ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) => _inner.PlaceLimitOrderAsync(request, cancellationToken);

    public ValueTask<ExchangeResult<OrderUpdate>> PlaceMarketOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) => _inner.PlaceMarketOrderAsync(request, cancellationToken);

    public ValueTask<ExchangeResult<OrderUpdate>> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default) => _inner.GetOrderAsync(symbol, clientOrderId, cancellationToken);

    public ValueTask<ExchangeResult<OrderUpdate>> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default) => _inner.CancelOrderAsync(symbol, clientOrderId, cancellationToken);

    public ValueTask<ExchangeResult<IReadOnlyList<OrderFill>>> GetOrderFillsAsync(string symbol, long orderId, CancellationToken cancellationToken = default) => _inner.GetOrderFillsAsync(symbol, orderId, cancellationToken);

    public ValueTask<ExchangeResult<IReadOnlyList<OrderUpdate>>> GetOpenOrdersAsync(string symbol, CancellationToken cancellationToken = default) => _inner.GetOpenOrdersAsync(symbol, cancellationToken);

    public ValueTask<ExchangeResult<IReadOnlyList<Balance>>> GetBalancesAsync(CancellationToken cancellationToken = default) => _inner.GetBalancesAsync(cancellationToken);

    public void Dispose()
    {
        _subscription.Dispose();
        _updates.Dispose();
        _trades.Dispose();
    }

    // Called while the in-memory exchange publishes a trade's fills: held until the engine has taken the trade live had.
    private void OnUpdate(OrderUpdate update)
    {
        var key = (ParityReport.KeyOf(update.ClientOrderId), update.Side, update.Price, update.Quantity);
        lock (_held)
        {
            if (_heard.TryGetValue(key, out var heard) && heard.FindIndex(h => h.Status == update.Status) is var i and >= 0)
            {
                var after = heard[i].TradeId;
                heard.RemoveRange(0, i + 1);
                if (after >= _trade)
                {
                    _held.Insert(_held.FindLastIndex(h => h.After <= after) + 1, (after, update));
                    return;
                }
            }
        }

        _updates.OnNext(update);
    }
}

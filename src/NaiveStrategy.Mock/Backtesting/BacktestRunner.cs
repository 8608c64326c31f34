using System.Collections.Concurrent;

namespace NaiveStrategy.Mock;

/// <summary>
/// Replays market trades through the real engine against an <see cref="InMemoryExchange"/>, on the
/// caller's thread (the exchange is synchronous), and reports what happened. The same Trader and
/// Leader code runs as in live trading; only the exchange differs.
/// </summary>
public static class BacktestRunner
{
    /// <summary>Starts the engine's configured symbols, replays <paramref name="trades"/> in order, and reports.</summary>
    /// <param name="engine">An engine whose exchange is <paramref name="exchange"/>; it is started here.</param>
    /// <param name="exchange">The in-memory exchange the engine trades on.</param>
    /// <param name="trades">Market trades in time order.</param>
    /// <param name="progress">Called with the number of trades replayed every 65,536 trades.</param>
    /// <param name="cancellationToken">Stops the replay between trades.</param>
    public static async Task<BacktestResult> RunAsync(NaiveStrategyEngine engine, InMemoryExchange exchange, IEnumerable<TradeEvent> trades, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(trades);
        var tracker = new EventTracker();
        using var subscription = engine.Events.Subscribe(tracker.OnEvent);
        await engine.StartAsync(cancellationToken);

        var prices = new Dictionary<string, (long Count, decimal First, decimal Last)>(StringComparer.Ordinal);
        long replayed = 0;
        foreach (var trade in trades)
        {
            exchange.PublishTrade(trade);
            ref var p = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(prices, trade.Symbol, out var existed);
            p = existed ? (p.Count + 1, p.First, trade.Price) : (1, trade.Price, trade.Price);
            if ((++replayed & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(replayed);
            }
        }

        progress?.Invoke(replayed);
        var journal = exchange.Orders.Select(o => new JournalEntry(o, tracker.TraderOf(o.ClientOrderId))).ToArray();
        var symbols = new List<SymbolReport>();
        foreach (var symbol in engine.Symbols.Union(prices.Keys).Order(StringComparer.Ordinal))
        {
            var filters = await exchange.GetSymbolFiltersAsync(symbol, cancellationToken);
            if (!filters.IsSuccess)
            {
                throw new InvalidOperationException($"The trades replayed include {symbol}, which the in-memory exchange does not list: {filters.Error}.");
            }

            var (count, first, last) = prices.GetValueOrDefault(symbol);
            var orders = journal.Where(j => j.Order.Symbol == symbol).Select(j => j.Order).ToArray();
            symbols.Add(Report(symbol, filters.Value, orders, tracker.For(symbol), count, first, last));
        }

        return new BacktestResult(symbols, journal);
    }

    /// <summary>
    /// Computes a symbol's figures from its order journal alone, so they can be checked independently:
    /// fees valued in quote, realized PnL at average cost (fees included), the open position marked to the last price.
    /// </summary>
    public static SymbolReport Report(string symbol, SymbolFilters filters, IReadOnlyList<OrderUpdate> orders, SymbolCounters counters, long tradesReplayed, decimal firstPrice, decimal lastPrice)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(counters);
        decimal fees = 0, boughtQuote = 0, boughtBase = 0, soldBase = 0, soldQuote = 0;
        foreach (var o in orders)
        {
            var notional = o.ExecutedQuantity * o.Price;
            var baseFee = o.CommissionAsset == filters.BaseAsset ? o.Commission : 0m;
            var quoteFee = o.CommissionAsset == filters.QuoteAsset ? o.Commission : 0m;
            fees += quoteFee + (baseFee * o.Price);
            if (o.Side == OrderSide.Buy)
            {
                boughtQuote += notional + quoteFee;
                boughtBase += o.ExecutedQuantity - baseFee;
            }
            else
            {
                soldQuote += notional - quoteFee;
                soldBase += o.ExecutedQuantity + baseFee;
            }
        }

        var averageCost = boughtBase > 0 ? boughtQuote / boughtBase : 0m;
        var position = boughtBase - soldBase;
        return new SymbolReport
        {
            Symbol = symbol,
            TradesReplayed = tradesReplayed,
            OrdersPlaced = orders.Count,
            OrdersFilled = orders.Count(o => o.Status == OrderStatus.Filled),
            OrdersCanceled = orders.Count(o => o.Status is OrderStatus.Canceled or OrderStatus.Expired),
            OrdersRejected = orders.Count(o => o.Status == OrderStatus.Rejected) + counters.OrdersNotSent + counters.PlacementsRejected,
            TradersStarted = counters.TradersStarted,
            MaxConcurrentTraders = counters.MaxConcurrentTraders,
            CyclesCompleted = counters.CyclesCompleted,
            FeesPaid = Math.Round(fees, 8),
            RealizedPnl = Math.Round(soldQuote - (soldBase * averageCost), 8),
            OpenPosition = position,
            UnrealizedPnl = Math.Round(position * (lastPrice - averageCost), 8),
            FirstPrice = firstPrice,
            LastPrice = lastPrice,
        };
    }

    private sealed class EventTracker
    {
        private readonly ConcurrentDictionary<string, string> _traderOf = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, SymbolCounters> _counters = new(StringComparer.Ordinal);

        public void OnEvent(StrategyEvent e)
        {
            var c = _counters.GetOrAdd(e.Symbol, _ => new SymbolCounters());
            switch (e.Command)
            {
                case PlaceOrder p:
                    _traderOf[p.Request.ClientOrderId] = p.TraderId;
                    break;
                case TraderStarted:
                    c.TradersStarted++;
                    c.Running++;
                    c.MaxConcurrentTraders = Math.Max(c.MaxConcurrentTraders, c.Running);
                    break;
                case TraderFinished f:
                    c.Running--;
                    c.CyclesCompleted += f.Outcome == TraderOutcome.Completed ? 1 : 0;
                    break;
                case OrderNotSent:
                    c.OrdersNotSent++;
                    break;
                case OrderRejected:
                    c.PlacementsRejected++;
                    break;
                case SymbolStopped:
                    c.Running = 0;
                    break;
            }
        }

        public string TraderOf(string clientOrderId) => _traderOf.GetValueOrDefault(clientOrderId, "");

        public SymbolCounters For(string symbol) => _counters.GetValueOrDefault(symbol) ?? new SymbolCounters();
    }
}

/// <summary>Counts kept from the engine's events during a backtest.</summary>
public sealed class SymbolCounters
{
    /// <summary>Traders started.</summary>
    public int TradersStarted { get; set; }

    /// <summary>Traders running now.</summary>
    public int Running { get; set; }

    /// <summary>Most traders running at once.</summary>
    public int MaxConcurrentTraders { get; set; }

    /// <summary>Completed cycles.</summary>
    public int CyclesCompleted { get; set; }

    /// <summary>Orders not sent because they broke a filter.</summary>
    public int OrdersNotSent { get; set; }

    /// <summary>Orders the exchange refused (never accepted, so not in its order list).</summary>
    public int PlacementsRejected { get; set; }
}

namespace NaiveStrategy.Mock;

// MARKET orders (a guard's exit): a MARKET SELL locks its base and fills at the next market trade's price, fully or,
// with partial fills, across trades up to their quantities, with the fee in the quote asset. Kept apart from the
// limit book: a MARKET order has no price, so it never enters the best bid / ask a trade is compared with.
public sealed partial class InMemoryExchange
{
    private readonly Dictionary<string, List<MockOrder>> _market = new(StringComparer.Ordinal);
    private int _marketPending;

    /// <inheritdoc />
    /// <remarks>
    /// SELL only. Checked like Binance: LOT_SIZE and MARKET_LOT_SIZE (-1013), the free base (-2010), a duplicate client
    /// order id of an open order (-2010). NOTIONAL is not checked here (the order has no price until it fills): the
    /// Leader checks it at the price that fired the guard before it sends the order.
    /// </remarks>
    public ValueTask<ExchangeResult<OrderUpdate>> PlaceMarketOrderAsync(OrderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var fault = _faults.Count > 0 ? _faults.Dequeue() : null;
            if (fault is { AcceptOrder: false })
            {
                return new(fault.Error);
            }

            var placed = PlaceMarket(request);
            return new(fault is null || !placed.IsSuccess ? placed : fault.Error);
        }
    }

    private ExchangeResult<OrderUpdate> PlaceMarket(OrderRequest request)
    {
        if (!_symbols.TryGetValue(request.Symbol, out var filters))
        {
            return InvalidSymbol();
        }

        if (request.Side != OrderSide.Sell)
        {
            return new ExchangeError(ExchangeErrorKind.Rejected, -1013, "The in-memory exchange takes MARKET SELL orders only.");
        }

        var failure = filters.FindMarketFilterFailure(0m, request.Quantity);
        if (failure is not null)
        {
            return new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: " + failure);
        }

        if (_byClientId.TryGetValue((request.Symbol, request.ClientOrderId), out var existing) && !existing.Status.IsTerminal())
        {
            return new ExchangeError(ExchangeErrorKind.Duplicate, -2010, "Duplicate order sent.");
        }

        var asset = filters.BaseAsset;
        if (!_ledger.TryLock(asset, request.Quantity))
        {
            return new ExchangeError(ExchangeErrorKind.Rejected, -2010, "Account has insufficient balance for requested action.");
        }

        var order = new MockOrder(_ids[request.Symbol].NextOrderId++, request with { Type = OrderType.Market, Price = 0m }, filters, asset, request.Quantity) { Time = Clock.GetUtcNow(), Placed = ++_placed };
        _byClientId[(request.Symbol, request.ClientOrderId)] = order;
        Keep(order);

        if (!_market.TryGetValue(request.Symbol, out var pending))
        {
            _market[request.Symbol] = pending = [];
        }

        pending.Add(order);
        Interlocked.Increment(ref _marketPending);
        return order.ToUpdate(OrderUpdateSource.Answer);
    }

    // Fills the symbol's MARKET orders at the trade's price, oldest first, each fully or (partial fills) up to what
    // the trade has left after the resting orders it crossed (`left`, reduced by what they take) — like a MARKET order
    // sweeping what is left of the book; the rest waits for later trades. A canceled one is dropped.
    private List<OrderUpdate>? FillMarketOrders(in TradeEvent trade, List<OrderUpdate>? fills, ref decimal left)
    {
        lock (_gate)
        {
            if (!_market.TryGetValue(trade.Symbol, out var pending) || pending.Count == 0)
            {
                return fills;
            }

            var available = left;
            for (var i = 0; i < pending.Count; i++)
            {
                var order = pending[i];
                if (!order.Status.IsTerminal())
                {
                    var quantity = _fill.Take(order.Remaining, available);
                    if (quantity <= 0)
                    {
                        break;
                    }

                    available -= quantity;
                    left = Math.Max(0, available);
                    FillMarket(order, quantity, trade.Price, trade.Time);
                    (fills ??= []).Add(order.ToUpdate(OrderUpdateSource.Stream));
                }

                if (order.Status.IsTerminal())
                {
                    pending.RemoveAt(i--);
                    Interlocked.Decrement(ref _marketPending);
                    if (order.Status == OrderStatus.Filled)
                    {
                        Finished(order);
                    }
                }
            }

            return fills;
        }
    }

    // A MARKET order always takes: the taker rate, the fee in the quote asset received.
    private void FillMarket(MockOrder order, decimal quantity, decimal price, DateTimeOffset time)
    {
        order.ExecutedQuantity += quantity;
        order.Status = order.ExecutedQuantity == order.Quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        order.Time = time;
        Settle(order, quantity, price, time, isMaker: false);
    }
}

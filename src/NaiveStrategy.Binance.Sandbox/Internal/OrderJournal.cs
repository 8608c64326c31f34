using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>The server's view of one order: what the exchange reported plus what Binance adds (quote totals, cancel ids).</summary>
internal sealed class OrderRecord(OrderUpdate placed, long createdMs, OrderType type, SelfTradePreventionMode mode)
{
    /// <summary>The self-trade prevention mode it was placed with (echoed as <c>selfTradePreventionMode</c>, <c>V</c>).</summary>
    public SelfTradePreventionMode Mode { get; } = mode;

    public OrderType Type { get; } = type;

    /// <summary>Binance's name of the order type: LIMIT or MARKET.</summary>
    public string TypeName => Type == OrderType.Market ? "MARKET" : "LIMIT";

    public long OrderId { get; } = placed.OrderId;

    public string Symbol { get; } = placed.Symbol;

    public string ClientOrderId { get; } = placed.ClientOrderId;

    public OrderSide Side { get; } = placed.Side;

    public decimal Price { get; } = placed.Price;

    public decimal Quantity { get; } = placed.Quantity;

    public long CreatedMs { get; } = createdMs;

    public long UpdatedMs { get; set; } = createdMs;

    public decimal Executed { get; set; }

    public decimal CumulativeQuote { get; set; }

    public decimal Commission { get; set; }

    public OrderStatus Status { get; set; } = OrderStatus.New;

    /// <summary>The cancel request's newClientOrderId: Binance reports it as <c>c</c> (and the original as <c>C</c>).</summary>
    public string? CancelClientOrderId { get; set; }

    /// <summary>The exchange's id of the last fill journaled (fills after it are new).</summary>
    public long LastFillId { get; set; }

    /// <summary>The API key that placed it: its unfilled order count drops by one at the order's first fill.</summary>
    public string? PlacedBy { get; init; }

    /// <summary>The first fill has been taken off <see cref="PlacedBy"/>'s unfilled order count.</summary>
    public bool FillCounted { get; set; }

    /// <summary>Quantity expired by self-trade prevention (<c>preventedQuantity</c>, <c>A</c>).</summary>
    public decimal PreventedQuantity { get; set; }

    /// <summary>The last prevented match this order was in (<c>preventedMatchId</c>, <c>v</c>), -1 for none.</summary>
    public long PreventedMatchId { get; set; } = -1;

    /// <summary>The id of the last prevented match journaled (matches after it are new).</summary>
    public long LastPreventedMatchSeen { get; set; } = -1;

    /// <summary>The prevented matches of its taker phase: the FULL answer's <c>preventedMatches</c>.</summary>
    public List<PreventedMatch> PreventedAsTaker { get; } = [];

    /// <summary>Binance's status: an order expired by self-trade prevention is EXPIRED_IN_MATCH.</summary>
    public string StatusName => Status == OrderStatus.Expired && PreventedQuantity > 0 ? "EXPIRED_IN_MATCH" : BinanceJson.Status(Status);
}

/// <summary>One fill of one of our orders (GET /api/v3/myTrades).</summary>
internal sealed record OwnTrade(string Symbol, long Id, long OrderId, decimal Price, decimal Quantity, decimal Commission, string CommissionAsset, long TimeMs, bool IsBuyer, bool IsMaker);

/// <summary>What changed in an order update: the per-fill fields of an executionReport.</summary>
// A TRADE_PREVENTION report carries the prevented match (Prevented) and what of this order it expired (LastPrevented, "B").
internal sealed record ExecutionDelta(string ExecutionType, decimal LastQuantity, decimal LastPrice, decimal LastCommission, string? CommissionAsset, long TradeId, long TransactTime, long EventId, bool IsMaker = false, PreventedMatch? Prevented = null, decimal LastPrevented = 0);

/// <summary>
/// Orders and own trades, fed by placements, the exchange's cumulative order updates and the exchange's fills,
/// from which it derives Binance's per-fill fields. Only touched under the server's engine gate.
/// </summary>
internal sealed class OrderJournal
{
    // Keyed by symbol and order id: the exchange numbers orders per symbol, as Binance does.
    private readonly Dictionary<(string Symbol, long OrderId), OrderRecord> _orders = [];
    private readonly Dictionary<(string Symbol, string ClientOrderId), OrderRecord> _byClientId = [];
    private readonly List<OwnTrade> _trades = [];
    private long _nextEventId = 1;

    public OrderRecord Add(OrderUpdate placed, long nowMs, OrderType type = OrderType.Limit, SelfTradePreventionMode mode = SelfTradePreventionMode.None, string? placedBy = null)
    {
        var order = new OrderRecord(placed, nowMs, type, mode) { PlacedBy = placedBy };
        _orders[(order.Symbol, order.OrderId)] = order;
        _byClientId[(order.Symbol, order.ClientOrderId)] = order;
        return order;
    }

    public ExecutionDelta NewOrderDelta(OrderRecord order) => new("NEW", 0, 0, 0, null, -1, order.CreatedMs, _nextEventId++);

    public OrderRecord? Find(string symbol, long? orderId, string? clientOrderId)
    {
        if (orderId is { } id)
        {
            return _orders.TryGetValue((symbol, id), out var byId) && (clientOrderId is null || byId.ClientOrderId == clientOrderId) ? byId : null;
        }

        return clientOrderId is not null ? _byClientId.GetValueOrDefault((symbol, clientOrderId)) : null;
    }

    public IEnumerable<OrderRecord> Open(string? symbol) =>
        _orders.Values.Where(o => !o.Status.IsTerminal() && (symbol is null || o.Symbol == symbol)).OrderBy(o => o.OrderId).ThenBy(o => o.Symbol, StringComparer.Ordinal);

    public IEnumerable<OwnTrade> Trades(string symbol, long? orderId) =>
        _trades.Where(t => t.Symbol == symbol && (orderId is null || t.OrderId == orderId));

    /// <summary>
    /// Applies an exchange update with the order's fills so far (the exchange's own: price, maker or taker, trade id);
    /// and the self-trades prevented with it; returns the order's deltas — one per new fill, one per new prevented match
    /// (TRADE_PREVENTION), else one for the status change — or null for an order we never placed or that did not change.
    /// </summary>
    public (OrderRecord Order, IReadOnlyList<ExecutionDelta> Deltas)? Apply(OrderUpdate update, IReadOnlyList<OrderFill> fills, IReadOnlyList<PreventedMatch> prevented, long nowMs)
    {
        if (!_orders.TryGetValue((update.Symbol, update.OrderId), out var order))
        {
            return null;
        }

        var deltas = new List<ExecutionDelta>(1);
        foreach (var fill in fills)
        {
            if (fill.TradeId <= order.LastFillId)
            {
                continue;
            }

            order.LastFillId = fill.TradeId;
            order.CumulativeQuote += fill.Quantity * fill.Price;
            var asset = fill.CommissionAsset ?? update.CommissionAsset;
            _trades.Add(new OwnTrade(order.Symbol, fill.TradeId, order.OrderId, fill.Price, fill.Quantity, fill.Commission, asset ?? string.Empty, nowMs, order.Side == OrderSide.Buy, fill.IsMaker));
            deltas.Add(new ExecutionDelta("TRADE", fill.Quantity, fill.Price, fill.Commission, asset, fill.TradeId, nowMs, _nextEventId++, fill.IsMaker));
        }

        var matched = false;
        foreach (var match in prevented)
        {
            var taker = match.TakerOrderId == order.OrderId;
            var quantity = taker ? match.TakerPreventedQuantity : match.MakerPreventedQuantity;
            if (match.PreventedMatchId <= order.LastPreventedMatchSeen)
            {
                continue;
            }

            order.LastPreventedMatchSeen = match.PreventedMatchId;
            matched = true;
            if (taker)
            {
                order.PreventedAsTaker.Add(match);
            }

            if (quantity is not { } expired)
            {
                continue; // the other order's expiry only
            }

            order.PreventedMatchId = match.PreventedMatchId;
            order.PreventedQuantity += expired;
            deltas.Add(new ExecutionDelta("TRADE_PREVENTION", 0, 0, 0, update.CommissionAsset, -1, nowMs, _nextEventId++, Prevented: match, LastPrevented: expired));
        }

        if (deltas.Count == 0 && matched)
        {
            return null; // met by a new order whose mode expired only that order: nothing changed here
        }

        if (deltas.Count == 0)
        {
            var type = update.Status switch
            {
                OrderStatus.Canceled => "CANCELED",
                OrderStatus.Rejected => "REJECTED",
                OrderStatus.Expired => "EXPIRED",
                _ => "NEW",
            };
            deltas.Add(new ExecutionDelta(type, 0, 0, 0, update.CommissionAsset, -1, nowMs, _nextEventId++));
        }

        order.Executed = update.ExecutedQuantity;
        order.Commission = update.Commission;
        order.Status = update.Status;
        order.UpdatedMs = nowMs;
        return (order, deltas);
    }
}

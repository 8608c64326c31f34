namespace NaiveStrategy.Mock;

// Self-trade prevention, as Binance applies it: a new LIMIT order that would trade with one of the account's own
// resting orders (every order here is the one account's) is handled by the new order's mode — NONE trades, the other
// modes expire one or both orders' remaining quantity (EXPIRED_IN_MATCH, OrderStatus.Expired) and record a
// PreventedMatch. The market's liquidity (the last trade, see TakeFromMarket) and the own resting orders are met in
// price order, the market first at one price.
public sealed partial class InMemoryExchange
{
    /// <summary>
    /// The self-trades prevented with an order on either side (Binance's <c>GET /api/v3/preventedMatches</c> by
    /// orderId), oldest first; empty when none; -2013 for an order the exchange does not know (or no longer keeps).
    /// </summary>
    public ExchangeResult<IReadOnlyList<PreventedMatch>> GetPreventedMatches(string symbol, long orderId)
    {
        lock (_gate)
        {
            if (!_symbols.ContainsKey(symbol))
            {
                return InvalidSymbol();
            }

            var order = FindOrder(symbol, orderId);
            return order is null
                ? new ExchangeError(ExchangeErrorKind.NotFound, -2013, "Order does not exist.")
                : ExchangeResult<IReadOnlyList<PreventedMatch>>.Success(order.PreventedMatches?.ToArray() ?? []);
        }
    }

    // A new order's taker phase: the market (the last trade) and the own resting orders it crosses, best price first.
    private void Arrive(MockOrder order, SymbolBook book, ref List<OrderUpdate>? makers)
    {
        var own = book.Meeting(order);
        if (own is null)
        {
            TakeFromMarket(order, book.LastTrade);
            return;
        }

        var marketMet = false;
        for (var i = 0; order.Remaining > 0 && !order.Status.IsTerminal();)
        {
            var maker = i < own.Count ? own[i] : null;
            if (!marketMet && (maker is null || MarketFirst(order.Side, book.LastTrade.Price, maker.Price)))
            {
                marketMet = true;
                TakeFromMarket(order, book.LastTrade);
                continue;
            }

            if (maker is null)
            {
                return;
            }

            i++;
            if (!maker.Status.IsTerminal())
            {
                MeetOwn(order, maker, book);
                (makers ??= []).Add(maker.ToUpdate(OrderUpdateSource.Stream));
            }
        }
    }

    // The market's price is as good as the resting order's for the taker (a BUY pays no more, a SELL gets no less).
    private static bool MarketFirst(OrderSide side, decimal? market, decimal own) =>
        market is { } price && (side == OrderSide.Buy ? price <= own : price >= own);

    private void MeetOwn(MockOrder taker, MockOrder maker, SymbolBook book)
    {
        var now = Clock.GetUtcNow();
        var (takerLeft, makerLeft) = (taker.Remaining, maker.Remaining);
        var both = Math.Min(takerLeft, makerLeft);
        switch (taker.Mode)
        {
            case SelfTradePreventionMode.None:
                var tradeId = _ids[taker.Request.Symbol].NextTradeId++;
                Fill(taker, both, now, maker.Price, isMaker: false, tradeId);
                Fill(maker, both, now, maker.Price, isMaker: true, tradeId);
                break;
            case SelfTradePreventionMode.ExpireTaker:
                Prevent(taker, maker, takerLeft, null, now);
                break;
            case SelfTradePreventionMode.ExpireMaker:
                Prevent(taker, maker, null, makerLeft, now);
                break;
            case SelfTradePreventionMode.ExpireBoth:
                Prevent(taker, maker, takerLeft, makerLeft, now);
                break;
            default:
                Prevent(taker, maker, both, both, now);
                break;
        }

        maker.Time = now;
        if (maker.Status.IsTerminal())
        {
            book.Open!.Remove(maker);
            book.Refresh();
            Finished(maker);
        }
    }

    private void Prevent(MockOrder taker, MockOrder maker, decimal? takerQuantity, decimal? makerQuantity, DateTimeOffset now)
    {
        var ids = _ids[taker.Request.Symbol];
        var match = new PreventedMatch(taker.Request.Symbol, ids.NextPreventedMatchId++, taker.OrderId, maker.OrderId, taker.Mode, maker.Price, takerQuantity, makerQuantity, now);
        (taker.PreventedMatches ??= []).Add(match);
        (maker.PreventedMatches ??= []).Add(match);
        Decrement(taker, takerQuantity ?? 0, now);
        Decrement(maker, makerQuantity ?? 0, now);
    }

    // Prevented quantity leaves the order (and what it locked for it returns to the free balance); an order with
    // nothing left to execute expires in match.
    private void Decrement(MockOrder order, decimal quantity, DateTimeOffset now)
    {
        if (quantity <= 0)
        {
            return;
        }

        order.Prevented += quantity;
        order.Time = now;
        if (order.Remaining == 0)
        {
            order.Status = OrderStatus.Expired;
            Unlock(order);
            return;
        }

        var freed = Math.Min(order.LockedRemaining, order.Side == OrderSide.Buy ? _fees.BuyLock(order.Price, quantity) : quantity);
        _ledger.Unlock(order.LockedAsset, freed);
        order.LockedRemaining -= freed;
    }
}

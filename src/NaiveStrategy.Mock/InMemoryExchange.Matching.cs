namespace NaiveStrategy.Mock;

// Matching and settlement: taker fills on arrival against the last trade, maker fills of resting orders a trade
// crosses (the symbol's SymbolBook picks them), each settled in the Ledger at the FeeModel's rate.
public sealed partial class InMemoryExchange
{
    // Taker: an order that crosses the last trade's price (strictly, as the resting rule) trades at once at that
    // price, fully, or with PartialFills up to what of that trade's quantity earlier orders left; the rest rests.
    // There is no book depth here: the last trade's price stands for the opposite side of the book.
    private void TakeFromMarket(MockOrder order, LastTrade last)
    {
        if (last.Take(order.Side, order.Price, order.Remaining, _fill.PartialFills) is { } taken)
        {
            Fill(order, taken.Quantity, Clock.GetUtcNow(), taken.Price, isMaker: false);
        }
    }

    private List<OrderUpdate>? Match(List<MockOrder> open, in TradeEvent trade, ref decimal left)
    {
        if (SymbolBook.Crossing(open, trade.Price) is not { } crossing)
        {
            return null;
        }

        var updates = new List<OrderUpdate>(crossing.Count);
        var available = trade.Quantity;
        foreach (var order in crossing)
        {
            var quantity = _fill.Take(order.Remaining, available);
            if (quantity <= 0)
            {
                continue;
            }

            available -= quantity;
            Fill(order, quantity, trade.Time, order.Price, isMaker: true);
            updates.Add(order.ToUpdate(OrderUpdateSource.Stream));
            if (order.Status == OrderStatus.Filled)
            {
                open.Remove(order);
                Finished(order);
            }
        }

        left = Math.Max(0, available);
        return updates.Count == 0 ? null : updates;
    }

    private void Fill(MockOrder order, decimal quantity, DateTimeOffset time, decimal price, bool isMaker, long? tradeId = null)
    {
        order.ExecutedQuantity += quantity;
        order.Status = order.Remaining == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        order.Time = time;
        Settle(order, quantity, price, time, isMaker, tradeId);
    }

    // Moves the fill's amounts in the ledger and records it at its own price; a filled order returns what it still locks.
    private void Settle(MockOrder order, decimal quantity, decimal price, DateTimeOffset time, bool isMaker, long? tradeId = null)
    {
        order.QuoteQuantity += price * quantity;
        var s = _fees.Settle(order.Side, order.Filters, quantity, price, isMaker);
        Release(s.SpentAsset, s.Spent, order);
        _ledger.Credit(s.ReceivedAsset, s.Received);
        Record(order, new Execution(quantity, price, s.Fee, s.FeeAsset, time, isMaker), tradeId);
        if (order.Status == OrderStatus.Filled)
        {
            Unlock(order);
        }
    }

    // The order's cumulative commission and its trade history (what GetOrderFillsAsync answers).
    private void Record(MockOrder order, Execution e, long? tradeId)
    {
        order.Commission += e.Fee;
        order.CommissionAsset = e.FeeAsset;
        (order.Fills ??= []).Add(new OrderFill(order.Request.Symbol, tradeId ?? _ids[order.Request.Symbol].NextTradeId++, order.OrderId, e.Price, e.Quantity, e.Fee, e.FeeAsset, e.Time) { IsMaker = e.IsMaker });
    }

    private readonly record struct Execution(decimal Quantity, decimal Price, decimal Fee, string FeeAsset, DateTimeOffset Time, bool IsMaker);

    // Takes a filled amount out of the order's lock.
    private void Release(string asset, decimal amount, MockOrder order)
    {
        _ledger.Spend(asset, amount);
        order.LockedRemaining -= amount;
    }

    // Returns whatever the order still locks to the free balance.
    private void Unlock(MockOrder order)
    {
        _ledger.Unlock(order.LockedAsset, order.LockedRemaining);
        order.LockedRemaining = 0;
    }
}

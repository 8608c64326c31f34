using NaiveStrategy.Reactive;

namespace NaiveStrategy.Mock;

/// <summary>
/// The matching book of one symbol: its open orders, its trade observers, its last trade, and the best bid and ask
/// among the open orders, so a trade that crosses nothing costs two comparisons. Refreshed whenever the open orders change.
/// </summary>
internal sealed class SymbolBook(List<MockOrder>? open, ObserverSet<TradeEvent> observers)
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

    /// <summary>The open orders a trade at <paramref name="price"/> crosses, best price first, then time (the order a real book fills them in); null when none.</summary>
    public static List<MockOrder>? Crossing(List<MockOrder> open, decimal price)
    {
        List<MockOrder>? crossing = null;
        foreach (var order in open)
        {
            if (order.Side == OrderSide.Buy ? price < order.Price : price > order.Price)
            {
                (crossing ??= []).Add(order);
            }
        }

        crossing?.Sort(static (a, b) => a.Side != b.Side ? a.Side.CompareTo(b.Side)
            : a.Price != b.Price ? (a.Side == OrderSide.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price))
            : a.OrderId.CompareTo(b.OrderId));
        return crossing;
    }

    /// <summary>
    /// The account's own resting orders a new order would trade with, as Binance's book matches (a BUY meets SELLs priced
    /// at or below it, a SELL meets BUYs at or above it), best price first, then time; null when none.
    /// </summary>
    public List<MockOrder>? Meeting(MockOrder taker)
    {
        var (bid, ask) = BestBidAsk;
        if (Open is null || (taker.Side == OrderSide.Buy ? taker.Price < ask : taker.Price > bid))
        {
            return null;
        }

        List<MockOrder>? meeting = null;
        foreach (var order in Open)
        {
            if (order.Side != taker.Side && (taker.Side == OrderSide.Buy ? order.Price <= taker.Price : order.Price >= taker.Price))
            {
                (meeting ??= []).Add(order);
            }
        }

        meeting?.Sort(static (a, b) => a.Price != b.Price ? (a.Side == OrderSide.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price)) : a.OrderId.CompareTo(b.OrderId));
        return meeting;
    }

    private sealed record Book(decimal BestBid, decimal BestAsk);
}

/// <summary>A symbol's last market trade: its price and the quantity of it that orders have not yet taken (what a taker
/// fill can take with PartialFills). Written by PublishTrade outside the exchange's lock, so it has its own.</summary>
internal sealed class LastTrade
{
    private readonly Lock _lock = new();
    private decimal? _price;
    private decimal _left;

    /// <summary>The last trade's price, null before the first.</summary>
    public decimal? Price
    {
        get
        {
            lock (_lock)
            {
                return _price;
            }
        }
    }

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

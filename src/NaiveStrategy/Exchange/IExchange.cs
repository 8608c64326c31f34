using System.Reactive.Linq;

namespace NaiveStrategy;

/// <summary>
/// What the strategy needs from an exchange to trade: filters, orders, balances and the updates of our
/// own orders (public trades come from <see cref="IMarketData"/>). Exchange-neutral: Binance specifics
/// (signing, weights, error codes) stay in the adapter. Only the engine's effects runner calls it.
/// </summary>
public interface IExchange
{
    /// <summary>The trading rules of a symbol.</summary>
    ValueTask<ExchangeResult<SymbolFilters>> GetSymbolFiltersAsync(string symbol, CancellationToken cancellationToken = default);

    /// <summary>
    /// Places a GTC limit order identified by <see cref="OrderRequest.ClientOrderId"/>.
    /// A second request with the client order id of an open order must be rejected, never executed twice.
    /// </summary>
    ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Places a MARKET order (<see cref="OrderRequest.Type"/> <see cref="OrderType.Market"/>, price 0) identified by
    /// <see cref="OrderRequest.ClientOrderId"/>: it executes against the market at once (in-memory: at the next
    /// market trades), and its updates carry what it executed for (<see cref="OrderUpdate.QuoteQuantity"/>).
    /// An exchange that cannot answers with a rejection, never an exception.
    /// </summary>
    ValueTask<ExchangeResult<OrderUpdate>> PlaceMarketOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) =>
        new(new ExchangeError(ExchangeErrorKind.Rejected, 0, $"{GetType().Name} does not support MARKET orders."));

    /// <summary>
    /// The current state of an order, by client order id. When the exchange's answer does not carry
    /// the commission of every fill, the update says so (<see cref="OrderUpdate.CommissionKnown"/> false).
    /// </summary>
    ValueTask<ExchangeResult<OrderUpdate>> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default);

    /// <summary>Cancels an open order by client order id; returns its final state.</summary>
    ValueTask<ExchangeResult<OrderUpdate>> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The fills (trades) of one of our orders, by the exchange's order id, with their commission.
    /// The engine calls it for an update whose <see cref="OrderUpdate.CommissionKnown"/> is false, before
    /// any trader sizes a SELL from it; an exchange may answer with fewer fills than executed for a
    /// moment after a fill (the engine then asks again).
    /// </summary>
    ValueTask<ExchangeResult<IReadOnlyList<OrderFill>>> GetOrderFillsAsync(string symbol, long orderId, CancellationToken cancellationToken = default);

    /// <summary>Open orders of a symbol.</summary>
    ValueTask<ExchangeResult<IReadOnlyList<OrderUpdate>>> GetOpenOrdersAsync(string symbol, CancellationToken cancellationToken = default);

    /// <summary>Account balances.</summary>
    ValueTask<ExchangeResult<IReadOnlyList<Balance>>> GetBalancesAsync(CancellationToken cancellationToken = default);

    /// <summary>Updates of our own orders (all symbols), as they happen. Fills reach traders only through this and through call results.</summary>
    IObservable<OrderUpdate> OrderUpdates { get; }

    /// <summary>
    /// A symbol's trading rules each time the exchange is found to have changed them while the strategy runs (a new
    /// tick or step size): the whole new set for that symbol. The engine prices and sizes the symbol's next orders with
    /// them. An exchange whose rules never change need not implement it: by default it never emits.
    /// </summary>
    IObservable<SymbolFilters> SymbolFiltersChanged => Observable.Never<SymbolFilters>();
}

namespace NaiveStrategy.Testing;

/// <summary>
/// An <see cref="IExchange"/> that passes every call and the order stream to <see cref="InnerExchange"/>. Derive from
/// it and override only what a test changes: a fault, a delay, a count, a corrupted answer.
/// </summary>
/// <example>
/// <code>
/// sealed class DownAtStart(IExchange inner) : DelegatingExchange(inner)
/// {
///     public override ValueTask&lt;ExchangeResult&lt;SymbolFilters&gt;&gt; GetSymbolFiltersAsync(string symbol, CancellationToken cancellationToken = default) =>
///         ValueTask.FromResult(ExchangeResult&lt;SymbolFilters&gt;.Failure(new ExchangeError(ExchangeErrorKind.Transient, 0, "exchange down")));
/// }
/// </code>
/// </example>
public abstract class DelegatingExchange : IExchange
{
    /// <summary>Wraps <paramref name="innerExchange"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="innerExchange"/> is null.</exception>
    protected DelegatingExchange(IExchange innerExchange) =>
        InnerExchange = innerExchange ?? throw new ArgumentNullException(nameof(innerExchange));

    /// <summary>The exchange every member passes to unless overridden.</summary>
    public IExchange InnerExchange { get; }

    /// <inheritdoc/>
    public virtual IObservable<OrderUpdate> OrderUpdates => InnerExchange.OrderUpdates;

    /// <inheritdoc/>
    public virtual IObservable<SymbolFilters> SymbolFiltersChanged => InnerExchange.SymbolFiltersChanged;

    /// <inheritdoc/>
    public virtual ValueTask<ExchangeResult<SymbolFilters>> GetSymbolFiltersAsync(string symbol, CancellationToken cancellationToken = default) =>
        InnerExchange.GetSymbolFiltersAsync(symbol, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) =>
        InnerExchange.PlaceLimitOrderAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<ExchangeResult<OrderUpdate>> PlaceMarketOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) =>
        InnerExchange.PlaceMarketOrderAsync(request, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<ExchangeResult<OrderUpdate>> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default) =>
        InnerExchange.GetOrderAsync(symbol, clientOrderId, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<ExchangeResult<OrderUpdate>> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default) =>
        InnerExchange.CancelOrderAsync(symbol, clientOrderId, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<ExchangeResult<IReadOnlyList<OrderFill>>> GetOrderFillsAsync(string symbol, long orderId, CancellationToken cancellationToken = default) =>
        InnerExchange.GetOrderFillsAsync(symbol, orderId, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<ExchangeResult<IReadOnlyList<OrderUpdate>>> GetOpenOrdersAsync(string symbol, CancellationToken cancellationToken = default) =>
        InnerExchange.GetOpenOrdersAsync(symbol, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<ExchangeResult<IReadOnlyList<Balance>>> GetBalancesAsync(CancellationToken cancellationToken = default) =>
        InnerExchange.GetBalancesAsync(cancellationToken);
}

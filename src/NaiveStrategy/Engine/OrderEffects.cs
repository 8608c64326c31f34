using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Reactive;

namespace NaiveStrategy.Engine;

/// <summary>
/// Carries out a symbol's orders: journals each intent before it leaves, publishes
/// <see cref="OrderPlaced"/>, and runs it through the <see cref="PlacementRunner"/>. What the exchange
/// answers comes back into the symbol's flow: order states on <see cref="Answers"/>, refusals as
/// <see cref="PlacementFailure"/> inputs. Answers of a synchronous exchange come back at once (the
/// flow queues them behind the input being handled); others when they arrive.
/// </summary>
internal sealed class OrderEffects
{
    /// <summary>How many times a trader's order is queried again after its trader crashed.</summary>
    public const int MaxRequeriesAfterCrash = 3;

    private readonly EngineContext _context;
    private readonly Action<SymbolInput> _post;
    private readonly PlacementRunner _runner;
    private readonly ObserverSet<OrderUpdate> _answers = new();
    private readonly Dictionary<string, int> _requeries = new(StringComparer.Ordinal);

    public OrderEffects(IExchange exchange, EngineContext context, Action<SymbolInput> post)
    {
        _context = context;
        _post = post;
        _runner = new PlacementRunner(exchange, context.Options, context.Time, context.Logger, RecordIntent, context.Stopping);
    }

    /// <summary>Order states answered to placements and queries.</summary>
    public IObservable<OrderUpdate> Answers => _answers.AsObservable();

    /// <summary>Sends <paramref name="order"/>; <paramref name="receivedAt"/> is the stamp of the trade that made it (0 when none), for the tick-to-order histogram.</summary>
    public void Place(PlaceOrder order, long receivedAt = 0)
    {
        try
        {
            RecordIntent(order.TraderId, order.Request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.InputFailed(_context.Logger, ex, order.Request.Symbol);
            return;
        }

        _context.Publish(new StrategyEvent(order.Request.Symbol, _context.Time.GetUtcNow(), new OrderPlaced(order.TraderId, order.Request)));
        _context.Metrics.OrderHandedOver(receivedAt);
        var pending = _runner.PlaceAsync(order.TraderId, order.Request);
        if (pending.IsCompletedSuccessfully)
        {
            Handle(order.TraderId, order.Request, pending.Result);
        }
        else
        {
            _context.Track(HandleAsync(order.TraderId, order.Request, pending));
        }
    }

    /// <summary>
    /// Cancels a trader's order (the stale-BUY rule). The order's state that follows, canceled or filled
    /// meanwhile, comes back on <see cref="Answers"/>; a cancel the exchange refused is logged, and the
    /// trader asks again later if its order is still open.
    /// </summary>
    public void Cancel(CancelOrder cancel)
    {
        var pending = _runner.CancelAsync(cancel.TraderId, cancel.Order);
        if (pending.IsCompletedSuccessfully)
        {
            Handle(cancel.TraderId, cancel.Order, pending.Result);
        }
        else
        {
            _context.Track(HandleAsync(cancel.TraderId, cancel.Order, pending));
        }
    }

    /// <summary>
    /// After a restart or an order stream gap: asks about every open order (resending only what never reached the
    /// exchange). An order a fired guard has halted (any for Exit, a BUY for Stop) is never resent: the exchange not
    /// having it ends it as refused, so the guard's action goes on without it.
    /// </summary>
    public void Reconcile(ImmutableArray<TraderState> traders)
    {
        foreach (var trader in traders)
        {
            if (trader.OpenOrder is { } order)
            {
                var request = new OrderRequest(trader.Symbol, order.ClientOrderId, order.Side, order.Price, order.Quantity);
                var halted = trader.Halt == GuardAction.Exit || (trader.Halt == GuardAction.Stop && order.Side == OrderSide.Buy);
                _context.Track(HandleAsync(trader.TraderId, request, _runner.ResolveAsync(trader.TraderId, request, order.Status, waitFirst: false, resent: halted)));
            }
        }
    }

    /// <summary>
    /// After a restart or an order stream gap, with a guard's exit under way: asks about its MARKET SELL (resending it,
    /// with the same client order id, only when the exchange never got it), so the exit sells once.
    /// </summary>
    public void ReconcileExit(LeaderState state)
    {
        if (state.Guard.Fired?.ExitOrder is { IsOpen: true } exit)
        {
            var request = new OrderRequest(state.Symbol, exit.ClientOrderId, OrderSide.Sell, 0m, exit.Quantity) { Type = OrderType.Market };
            _context.Track(HandleAsync(exit.ClientOrderId, request, _runner.ResolveAsync(exit.ClientOrderId, request, exit.Status, waitFirst: false)));
        }
    }

    /// <summary>
    /// After a trader crashed on an input (that input was dropped): asks about its open order again, so a
    /// fill that came with the crash is applied. Only an order the exchange has acknowledged (one still
    /// being placed gets its answer from the placement runner, and must not be resent), and at most
    /// <see cref="MaxRequeriesAfterCrash"/> times per trader: a reducer that throws on the order's state
    /// every time must not make the engine ask forever.
    /// </summary>
    public void RequeryAfterCrash(string traderId, ImmutableArray<TraderState> traders)
    {
        TraderState? trader = null;
        foreach (var t in traders)
        {
            trader = string.Equals(t.TraderId, traderId, StringComparison.Ordinal) ? t : trader;
        }

        foreach (var gone in _requeries.Keys.Where(id => !traders.Any(t => string.Equals(t.TraderId, id, StringComparison.Ordinal))).ToArray())
        {
            _requeries.Remove(gone);
        }

        if (trader?.OpenOrder is not { Status: not OrderStatus.PendingNew } order)
        {
            return;
        }

        var count = _requeries.GetValueOrDefault(traderId) + 1;
        if (count > MaxRequeriesAfterCrash)
        {
            Log.NotRequeried(_context.Logger, traderId, trader.Symbol, order.ClientOrderId, MaxRequeriesAfterCrash);
            return;
        }

        _requeries[traderId] = count;
        var request = new OrderRequest(trader.Symbol, order.ClientOrderId, order.Side, order.Price, order.Quantity);
        _context.Track(HandleAsync(traderId, request, _runner.ResolveAsync(traderId, request, order.Status, waitFirst: false)));
    }

    // Every first send, including a resend after a restart, is journaled before it leaves (recording
    // the same intent twice is a no-op for a store).
    private void RecordIntent(string traderId, OrderRequest request) =>
        _context.Store?.RecordIntent(new OrderIntent(request.Symbol, traderId, request, _context.Time.GetUtcNow()));

    private async Task HandleAsync(string traderId, OrderRequest request, ValueTask<PlacementOutcome> pending)
    {
        PlacementOutcome outcome;
        try
        {
            outcome = await pending;
        }
        catch (OperationCanceledException) when (_context.Stopping.IsCancellationRequested)
        {
            return;
        }

        Handle(traderId, request, outcome);
    }

    private void Handle(string traderId, OrderRequest request, PlacementOutcome outcome)
    {
        switch (outcome.Result)
        {
            case PlacementResult.Placed:
                _answers.OnNext(outcome.Update!);
                break;
            case PlacementResult.Rejected:
                _post(SymbolInput.ForFailure(new PlacementFailure(traderId, request.ClientOrderId, outcome.Error!)));
                break;
        }
    }
}

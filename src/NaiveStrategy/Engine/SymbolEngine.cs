using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Engine;

/// <summary>
/// One symbol's serialized input stream and effects runner. Inputs from any thread (market trades,
/// order updates, call results, control) are queued and processed one at a time by whichever thread
/// posts while no one else is draining; effects posted while draining are queued behind, never
/// re-entered. With a synchronous exchange (the in-memory one) the whole loop runs on the caller's
/// thread: deterministic, no thread hop; with a network exchange, calls are awaited off the loop and
/// their results posted back.
/// </summary>
internal sealed class SymbolEngine
{
    private readonly Lock _gate = new();
    private readonly Queue<SymbolInput> _queue = new();
    private readonly Leader _leader;
    private readonly IExchange _exchange;
    private readonly NaiveStrategyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<StrategyEvent> _publish;
    private readonly CancellationToken _stopping;
    private readonly Action<Task> _track;
    private readonly IStrategyStore? _store;
    private readonly FillCommissions _commissions;
    private LeaderState _state;
    private bool _draining;

    public SymbolEngine(LeaderState state, Leader leader, IExchange exchange, NaiveStrategyOptions options, TimeProvider time, ILogger logger, Action<StrategyEvent> publish, Action<Task> track, IStrategyStore? store, CancellationToken stopping)
    {
        _store = store;
        _state = state;
        _leader = leader;
        _exchange = exchange;
        _options = options;
        _time = time;
        _logger = logger;
        _publish = publish;
        _track = track;
        _stopping = stopping;
        _commissions = new FillCommissions(exchange, options, time, logger, stopping);
    }

    public string Symbol => _state.Symbol;

    public LeaderState State => Volatile.Read(ref _state);

    public void Post(in SymbolInput input)
    {
        lock (_gate)
        {
            if (_draining)
            {
                // Posted by an effect of the input being processed: it runs after that input, not inside it.
                _queue.Enqueue(input);
                return;
            }

            _draining = true;
            try
            {
                Process(input);
                while (_queue.TryDequeue(out var next))
                {
                    Process(next);
                }
            }
            finally
            {
                _draining = false;
            }
        }
    }

    /// <summary>
    /// An order update from any source. One that reports a new fill without its commission is held
    /// back until the exchange's fills give it: a trader must know its fee before it sizes a SELL.
    /// </summary>
    public void PostUpdate(OrderUpdate update)
    {
        if (update.CommissionKnown || update.ExecutedQuantity == 0 || FindOrder(update.ClientOrderId) is not ({ } traderId, { } known) || known.ExecutedQuantity >= update.ExecutedQuantity)
        {
            // Nothing to complete: no fill, a fill already known with its fee, or an order no trader has.
            Post(SymbolInput.ForUpdate(update));
            return;
        }

        _track(CompleteAndPostAsync(update, traderId));
    }

    private async Task CompleteAndPostAsync(OrderUpdate update, string traderId)
    {
        if (await _commissions.CompleteAsync(update, traderId, State.Filters?.BaseAsset) is { } complete)
        {
            Post(SymbolInput.ForUpdate(complete));
        }
    }

    private (string TraderId, TrackedOrder Order)? FindOrder(string clientOrderId)
    {
        foreach (var trader in State.Traders)
        {
            if (trader.BuyOrder is { } buy && string.Equals(buy.ClientOrderId, clientOrderId, StringComparison.Ordinal))
            {
                return (trader.TraderId, buy);
            }

            if (trader.SellOrder is { } sell && string.Equals(sell.ClientOrderId, clientOrderId, StringComparison.Ordinal))
            {
                return (trader.TraderId, sell);
            }
        }

        return null;
    }

    private void Process(in SymbolInput input)
    {
        try
        {
            if (input.Kind == SymbolInputKind.Trade)
            {
                // The hot path: most trades change nothing and need no bookkeeping.
                var quiet = _leader.OnTrade(_state, input.Trade);
                if (ReferenceEquals(quiet.State, _state) && quiet.Commands.Count == 0 && quiet.Events.Count == 0)
                {
                    return;
                }

                Apply(input, quiet);
                return;
            }

            var decision = input.Kind switch
            {
                SymbolInputKind.OrderUpdate => _leader.OnOrderUpdate(_state, (OrderUpdate)input.Payload!),
                SymbolInputKind.PlacementFailed => _leader.OnPlacementFailed(_state, input.ClientOrderId!, (ExchangeError)input.Payload!),
                SymbolInputKind.Start => _leader.Start(_state, (SymbolFilters)input.Payload!),
                SymbolInputKind.Restore => Restore((RestoreRequest)input.Payload!),
                SymbolInputKind.Stop => Leader.Stop(_state),
                SymbolInputKind.Shutdown => Leader.Shutdown(_state),
                SymbolInputKind.UpdateSettings => Leader.UpdateSettings(_state, (SymbolSettings)input.Payload!),
                _ => throw new InvalidOperationException($"Unknown input kind {input.Kind}."),
            };

            Apply(input, decision);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.InputFailed(_logger, ex, Symbol);
        }
    }

    // Throws to Process, which logs and drops the input: a store failure means nothing is sent.
    private void Apply(in SymbolInput input, LeaderDecision decision)
    {
        if (_store is not null)
        {
            // Durable before anything is sent.
            if (input.Kind == SymbolInputKind.OrderUpdate)
            {
                _store.RecordOrderUpdate((OrderUpdate)input.Payload!);
            }

            if (!ReferenceEquals(decision.State, _state))
            {
                _store.SaveSymbol(decision.State);
            }
        }

        Volatile.Write(ref _state, decision.State);
        var now = _time.GetUtcNow();
        foreach (var e in decision.Events)
        {
            _publish(new StrategyEvent(Symbol, now, e));
        }

        foreach (var command in decision.Commands)
        {
            if (command is PlaceOrder order)
            {
                Place(order, attempt: 1);
            }
        }
    }

    private LeaderDecision Restore(RestoreRequest request) => Leader.Restore(_state, request.Filters, request.Traders, request.Status, request.NextTraderNumber);

    /// <summary>
    /// After a restart: asks the exchange about every order the restored traders have open. Orders it
    /// knows come back as updates (fills while we were down included); an order recorded but never
    /// acknowledged that the exchange does not know is sent once, with the same client order id.
    /// </summary>
    public void Reconcile()
    {
        foreach (var trader in State.Traders)
        {
            if (trader.OpenOrder is { } order)
            {
                var request = new OrderRequest(Symbol, order.ClientOrderId, order.Side, order.Price, order.Quantity);
                _track(FindAsync(new PlaceOrder(trader.TraderId, request), order.Status, attempt: 0, cause: null));
            }
        }
    }

    private void Place(PlaceOrder order, int attempt)
    {
        if (_store is not null && attempt == 1)
        {
            // Every first send, including a resend after a restart, is journaled before it leaves
            // (recording the same intent twice is a no-op for a store).
            try
            {
                _store.RecordIntent(new OrderIntent(Symbol, order.TraderId, order.Request, _time.GetUtcNow()));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.InputFailed(_logger, ex, Symbol);
                return;
            }
        }

        if (attempt == 1)
        {
            _publish(new StrategyEvent(Symbol, _time.GetUtcNow(), new OrderPlaced(order.TraderId, order.Request)));
        }

        ValueTask<ExchangeResult<OrderUpdate>> pending;
        try
        {
            pending = _exchange.PlaceLimitOrderAsync(order.Request, _stopping);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // We cannot know whether a throwing adapter sent the order: resolve it like a timeout.
            OnPlaced(order, new ExchangeError(ExchangeErrorKind.Unknown, 0, ex.Message), attempt);
            return;
        }

        if (pending.IsCompleted)
        {
            OnPlaced(order, Result(pending), attempt);
        }
        else
        {
            _track(AwaitPlacedAsync(order, pending, attempt));
        }
    }

    private async Task AwaitPlacedAsync(PlaceOrder order, ValueTask<ExchangeResult<OrderUpdate>> pending, int attempt)
    {
        ExchangeResult<OrderUpdate> result;
        try
        {
            result = await pending;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            result = new ExchangeError(ExchangeErrorKind.Unknown, 0, ex.Message);
        }

        OnPlaced(order, result, attempt);
    }

    private void OnPlaced(PlaceOrder order, ExchangeResult<OrderUpdate> result, int attempt)
    {
        if (result.IsSuccess)
        {
            PostUpdate(result.Value);
            return;
        }

        var error = result.Error;
        var clientOrderId = order.Request.ClientOrderId;
        switch (error.Kind)
        {
            case ExchangeErrorKind.Transient when attempt < _options.MaxPlacementAttempts:
                var delay = Backoff.Delay(_options.RetryDelay, attempt);
                Log.PlacementRetry(_logger, order.TraderId, Symbol, clientOrderId, error, attempt, delay);
                _track(RetryPlaceAsync(order, attempt + 1, delay));
                break;
            case ExchangeErrorKind.Unknown:
                _track(FindAsync(order, OrderStatus.PendingNew, attempt, error));
                break;
            default:
                Reject(order, error);
                break;
        }
    }

    private void Reject(PlaceOrder order, ExchangeError error)
    {
        var clientOrderId = order.Request.ClientOrderId;
        _publish(new StrategyEvent(Symbol, _time.GetUtcNow(), new OrderRejected(order.TraderId, clientOrderId, error)));
        Post(SymbolInput.ForFailure(clientOrderId, error));
    }

    private async Task RetryPlaceAsync(PlaceOrder order, int attempt, TimeSpan delay)
    {
        if (await DelayAsync(delay))
        {
            Place(order, attempt);
        }
    }

    // Asks the exchange about an order by client order id until it knows: after a "maybe placed"
    // answer (cause set: wait first) or after a restart. An order it knows comes back as an update.
    // An order it does not know is sent again (same client order id) only if we never had an answer
    // for it; never a second order for an intent the exchange has.
    private async Task FindAsync(PlaceOrder order, OrderStatus known, int attempt, ExchangeError? cause)
    {
        var request = order.Request;
        var last = cause ?? new ExchangeError(ExchangeErrorKind.Unknown, 0, "no answer");
        for (var query = 1; query <= _options.MaxStatusQueries; query++)
        {
            if ((cause is not null || query > 1) && !await DelayAsync(Backoff.Delay(_options.RetryDelay, query)))
            {
                return;
            }

            ExchangeResult<OrderUpdate> found;
            try
            {
                found = await _exchange.GetOrderAsync(request.Symbol, request.ClientOrderId, _stopping);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                found = new ExchangeError(ExchangeErrorKind.Unknown, 0, ex.Message);
            }

            if (found.IsSuccess)
            {
                PostUpdate(found.Value);
                return;
            }

            last = found.Error;
            if (last.Kind != ExchangeErrorKind.NotFound)
            {
                continue;
            }

            if (known != OrderStatus.PendingNew)
            {
                Log.OrderVanished(_logger, order.TraderId, Symbol, request.ClientOrderId, known);
            }
            else if (attempt < _options.MaxPlacementAttempts)
            {
                if (cause is null)
                {
                    Log.ResendingIntent(_logger, order.TraderId, Symbol, request.ClientOrderId);
                }

                Place(order, attempt + 1);
            }
            else
            {
                Reject(order, cause ?? last);
            }

            return;
        }

        Log.PlacementUnresolved(_logger, order.TraderId, Symbol, request.ClientOrderId, _options.MaxStatusQueries, last);
    }

    private async Task<bool> DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static ExchangeResult<OrderUpdate> Result(ValueTask<ExchangeResult<OrderUpdate>> pending)
    {
        try
        {
            return pending.Result;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new ExchangeError(ExchangeErrorKind.Unknown, 0, ex.Message);
        }
    }
}

internal sealed record RestoreRequest(SymbolFilters Filters, IReadOnlyList<TraderState> Traders, SymbolStatus Status, long NextTraderNumber);

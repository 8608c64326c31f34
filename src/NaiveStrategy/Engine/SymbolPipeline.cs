using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Reactive;

namespace NaiveStrategy.Engine;

/// <summary>
/// One symbol's flow, as one Rx pipeline:
/// <code>
/// market trades ──────────────────────────────┐
/// order updates + call answers ───────────────┼─ MergeSerialized ─ Reduce(Decide: Leader) ─ Apply (effects)
/// control inputs, placement failures, events ─┘  (stream failures, updates whose fees had to be asked for)
/// </code>
/// Inputs are merged and handled one at a time (<see cref="StrategyObservable.MergeSerialized{T}"/>); the operators
/// before the merge only route and wrap: every decision is the pure Leader reducer's, on the serialized loop (a
/// stream that failed or delivers again, a fill whose commission must be asked for, the orders to reconcile).
/// <see cref="Apply"/> — the one home of effects — makes the new state durable, publishes what happened and carries
/// out the commands: orders to <see cref="OrderEffects"/>, balance checks to <see cref="FundsEffects"/>, commission
/// queries to <see cref="FillCommissions"/>, whose answers come back in as inputs. Streams that end are subscribed
/// again with backoff. With the synchronous in-memory exchange the whole flow runs on the thread that publishes the trade.
/// </summary>
internal sealed class SymbolPipeline : IDisposable
{
    private readonly Leader _leader;
    private readonly IStrategyStore? _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Action<StrategyEvent> _publish;
    private readonly OrderEffects _orders;
    private readonly FillCommissions _commissions;
    private readonly FundsEffects _funds;
    private readonly ObserverSet<SymbolInput> _control = new();
    private readonly StoreHealth _health;
    private readonly Action<Task> _track;
    private readonly IDisposable _subscription;
    private readonly AccountGuard? _account;
    private LeaderState _state;
    private CachedSnapshot? _snapshot;
    private long _tradesProcessed;

    public SymbolPipeline(LeaderState state, Leader leader, IMarketData marketData, IExchange exchange, EngineContext context)
    {
        _state = state;
        _leader = leader;
        _store = context.Store;
        _logger = context.Logger;
        _time = context.Time;
        _publish = context.Publish;
        _health = context.StoreHealth;
        _track = context.Track;
        _account = context.Account;
        _orders = new OrderEffects(exchange, context, Post);
        _funds = new FundsEffects(exchange, context, Post);
        _commissions = new FillCommissions(exchange, context.Options, context.Time, context.Logger, context.Stopping);
        var symbol = state.Symbol;
        var options = context.Options;
        var metrics = context.Metrics;

        var trades = marketData.MarketTrades(symbol)
            .Resubscribe(attempt => Backoff.Delay(options, attempt), (error, attempt, delay) => Resubscribed(StrategyStream.MarketTrades, error, attempt, delay), _time)
            .Map((in TradeEvent trade) => SymbolInput.ForTrade(trade, metrics.TimesTicks ? System.Diagnostics.Stopwatch.GetTimestamp() : 0));
        var updates = exchange.OrderUpdates
            .Where(update => string.Equals(update.Symbol, symbol, StringComparison.Ordinal))
            .Resubscribe(attempt => Backoff.Delay(options, attempt), (error, attempt, delay) => Resubscribed(StrategyStream.OrderUpdates, error, attempt, delay), _time)
            .Select(update => SymbolInput.ForUpdate(update, metrics.TimesTicks ? System.Diagnostics.Stopwatch.GetTimestamp() : 0, fromStream: true))
            .Merge(_orders.Answers.Select(update => SymbolInput.ForUpdate(update, metrics.TimesTicks ? System.Diagnostics.Stopwatch.GetTimestamp() : 0)))
            .Merge(exchange.SymbolFiltersChanged
                .Where(filters => string.Equals(filters.Symbol, symbol, StringComparison.Ordinal))
                .Select(filters => SymbolInput.Control(SymbolInputKind.FiltersChanged, filters)));

        _subscription = StrategyObservable.MergeSerialized(trades, updates, _control.AsObservable())
            .Reduce<SymbolInput, Step>(Decide)
            .Subscribe(new Effects(this));
    }

    public string Symbol => _state.Symbol;

    public LeaderState State => Volatile.Read(ref _state);

    /// <summary>The read-only snapshot of <see cref="State"/>, made once per state (the store's save made it already when there is a store).</summary>
    public SymbolSnapshot Snapshot => SnapshotOf(State);

    /// <summary>The band of trades that change nothing in the current state (<see cref="Leader.QuietBand"/>).</summary>
    /// <remarks>None while the account-wide guard watches: it marks the account's equity at every trade.</remarks>
    public QuietBand? QuietBand => _account is null ? _leader.QuietBand(State) : null;

    /// <summary>Market trades handled so far (read by the metrics when they are collected).</summary>
    public long TradesProcessed => Volatile.Read(ref _tradesProcessed);

    /// <summary>The input streams that failed and have delivered nothing since, unless they have not failed again for <paramref name="grace"/>.</summary>
    public IEnumerable<StrategyStream> StreamsDown(DateTimeOffset now, TimeSpan grace) => State.Streams.Down(now, grace);

    /// <summary>A control input, a failure or an event: handled in turn with every other input.</summary>
    public void Post(SymbolInput input) => _control.OnNext(input);

    public void Dispose() => _subscription.Dispose();

    // Readers on other threads may each make one for the same state; any of them is right.
    private SymbolSnapshot SnapshotOf(LeaderState state)
    {
        if (Volatile.Read(ref _snapshot) is { } cached && ReferenceEquals(cached.State, state))
        {
            return cached.View;
        }

        var made = new CachedSnapshot(state, SymbolSnapshot.Of(state));
        Volatile.Write(ref _snapshot, made);
        return made.View;
    }

    // The pure step: the Leader's decision for one input, or null when nothing changed. An input that
    // makes a reducer throw is logged and dropped; the flow goes on.
    private Step? Decide(in SymbolInput input)
    {
        var state = _state;
        try
        {
            if (input.Kind == SymbolInputKind.Trade)
            {
                // Only this loop writes it: a plain store, no interlocked operation per trade.
                Volatile.Write(ref _tradesProcessed, _tradesProcessed + 1);

                // The hot path: most trades change nothing and allocate nothing.
                if (_leader.IsQuiet(state, input.Trade))
                {
                    _account?.Mark(state, input.Trade);
                    return null;
                }

                var quiet = _leader.OnTrade(state, input.Trade);
                _account?.Mark(quiet.State, input.Trade);
                return ReferenceEquals(quiet.State, state) && quiet.Commands.Count == 0 && quiet.Events.Count == 0 ? null : Step.Of(input, quiet);
            }

            var decision = input.Kind switch
            {
                SymbolInputKind.OrderUpdate => _leader.OnOrderUpdate(state, (OrderUpdate)input.Payload!, input.FromStream),
                SymbolInputKind.PlacementFailed => Failed(state, (PlacementFailure)input.Payload!),
                SymbolInputKind.Start => Start(state, (StartRequest)input.Payload!),
                SymbolInputKind.Restore => Restore(state, (RestoreRequest)input.Payload!),
                SymbolInputKind.StreamFailed => Leader.OnStreamFailed(state, ((StreamFailure)input.Payload!).Failure, ((StreamFailure)input.Payload!).Time),
                SymbolInputKind.Stop => Leader.Stop(state),
                SymbolInputKind.Shutdown => Leader.Shutdown(state),
                SymbolInputKind.UpdateSettings => Leader.UpdateSettings(state, (SymbolSettings)input.Payload!),
                SymbolInputKind.FundsKnown => FundsKnown(state, (FundsReport)input.Payload!),
                SymbolInputKind.Event => LeaderDecision.Happened(state, (TradingEvent)input.Payload!),
                SymbolInputKind.FireGuard => Leader.FireGuard(state, (FiredGuard)input.Payload!),
                SymbolInputKind.FiltersChanged => Leader.UpdateFilters(state, (SymbolFilters)input.Payload!),
                _ => throw new InvalidOperationException($"Unknown input kind {input.Kind}."),
            };

            // Every input but a trade is at least journaled; without a store, one that changed nothing has no effect
            // (a backtest's orders are each acknowledged twice: the call's answer and the stream's update).
            return _store is null && ReferenceEquals(decision.State, state) && decision.Commands.Count == 0 && decision.Events.Count == 0
                ? null
                : Step.Of(input, decision);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.InputFailed(_logger, ex, state.Symbol);
            return null;
        }
    }

    private LeaderDecision Failed(LeaderState state, PlacementFailure failure)
    {
        var decision = _leader.OnPlacementFailed(state, failure.ClientOrderId, failure.Error);
        return decision with { Events = [new OrderRejected(failure.TraderId, failure.ClientOrderId, failure.Error), .. decision.Events] };
    }

    private LeaderDecision Start(LeaderState state, StartRequest request)
    {
        var settled = Leader.UpdateSettings(state, request.Settings);
        var started = _leader.Start(settled.State, request.Filters, request.FreeQuote);
        return settled.Events.Count == 0 ? started : started with { Events = [.. settled.Events, .. started.Events] };
    }

    // The saved money comes back with the traders, in the same input.
    private static LeaderDecision Restore(LeaderState state, RestoreRequest request) =>
        Leader.Resume(state, request.Settings, request.Filters, request.Saved, request.FreeQuote);

    private LeaderDecision FundsKnown(LeaderState state, FundsReport report) => _leader.OnFundsKnown(state, report.FreeQuote, report.Time);

    // The one home of effects: durable first, then published, then sent. A store failure drops the
    // input before anything leaves.
    private void Apply(Step step)
    {
        var decision = step.Decision;
        try
        {
            if (_store is not null)
            {
                // An update held back for its commission is journaled once, completed.
                if (step.Kind == SymbolInputKind.OrderUpdate && decision.Commands is not [CompleteCommission])
                {
                    _store.RecordOrderUpdate((OrderUpdate)step.Payload!);
                }

                if (!ReferenceEquals(decision.State, _state))
                {
                    _store.SaveSymbol(SnapshotOf(decision.State));
                }

                _health.StoreWorked();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _health.StoreFailed(ex);
            Log.InputFailed(_logger, ex, Symbol);
            return;
        }

        Volatile.Write(ref _state, decision.State);
        var now = _time.GetUtcNow();

        // Indexed, not foreach: over IReadOnlyList a foreach boxes the list's enumerator on every input.
        var events = decision.Events;
        for (var i = 0; i < events.Count; i++)
        {
            _publish(new StrategyEvent(Symbol, now, events[i]));
        }

        var commands = decision.Commands;
        for (var i = 0; i < commands.Count; i++)
        {
            switch (commands[i])
            {
                case PlaceOrder order:
                    _orders.Place(order, step.ReceivedAt);
                    break;
                case CancelOrder cancel:
                    _orders.Cancel(cancel);
                    break;
                case CheckFunds when decision.State.Filters is { } filters:
                    _funds.Check(Symbol, filters.QuoteAsset);
                    break;
                case CompleteCommission complete:
                    // Its fills' commission is asked for off the loop; the completed update comes back as an input.
                    _track(CompleteAsync(complete.Update, complete.TraderId, complete.BaseAsset));
                    break;
                case ReconcileOrders:
                    _orders.Reconcile(decision.State.Traders);
                    _orders.ReconcileExit(decision.State);
                    break;
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is TraderCrashed crashed)
            {
                // The input it crashed on was dropped: if it was a fill, the order's state brings it back.
                _orders.RequeryAfterCrash(crashed.TraderId, decision.State.Traders);
            }
        }
    }

    private async Task CompleteAsync(OrderUpdate update, string traderId, string? baseAsset)
    {
        if (await _commissions.CompleteAsync(update, traderId, baseAsset) is { } completed)
        {
            Post(SymbolInput.ForUpdate(completed, 0));
        }
    }

    // A failure is an input like any other: the Leader decides what follows (readiness, reconciliation).
    private void Resubscribed(StrategyStream stream, Exception? error, int attempt, TimeSpan delay) =>
        Post(SymbolInput.Control(SymbolInputKind.StreamFailed, new StreamFailure(new StreamResubscribed(stream, error, attempt, delay), _time.GetUtcNow())));

    // What Apply needs of an input, not the whole input (its trade is what most of it is): a backtest makes thousands
    // of steps per setting.
    private sealed record Step(SymbolInputKind Kind, object? Payload, long ReceivedAt, LeaderDecision Decision)
    {
        public static Step Of(in SymbolInput input, LeaderDecision decision) => new(input.Kind, input.Payload, input.ReceivedAt, decision);
    }

    // The one subscriber: a class, so the pipeline's end allocates nothing per input.
    private sealed class Effects(SymbolPipeline pipeline) : IObserver<Step>
    {
        // Nothing may escape into the sources: Rx detaches an observer that throws, and the symbol would
        // stop hearing from that stream.
        public void OnNext(Step value)
        {
            try
            {
                pipeline.Apply(value);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.InputFailed(pipeline._logger, ex, pipeline.Symbol);
            }
        }

        public void OnError(Exception error) => Log.InputFailed(pipeline._logger, error, pipeline.Symbol);

        public void OnCompleted()
        {
        }
    }

    private sealed record CachedSnapshot(LeaderState State, SymbolSnapshot View);
}

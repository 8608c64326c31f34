using Microsoft.Extensions.Logging;
using Polly;

namespace NaiveStrategy.Engine;

/// <summary>How a placement ended, as far as the engine can know.</summary>
internal enum PlacementResult : byte
{
    /// <summary>The exchange has the order: <see cref="PlacementOutcome.Update"/> is its state.</summary>
    Placed,

    /// <summary>The exchange refused it for good: <see cref="PlacementOutcome.Error"/> says why.</summary>
    Rejected,

    /// <summary>Still unknown after every query: left pending for the order stream and the next reconciliation.</summary>
    Unresolved,

    /// <summary>The engine is stopping.</summary>
    Stopped,
}

internal readonly record struct PlacementOutcome(PlacementResult Result, OrderUpdate? Update, ExchangeError? Error);

/// <summary>
/// Sends an order and finds out what became of it: the one owner of placement retries. A transient
/// failure (not executed) is retried with backoff; a "maybe placed" answer (timeout, server error) is
/// resolved by querying the order by client order id; the order is sent again, with the same client
/// order id, only when the exchange says it has no such order, and at most once per resolution; an
/// answer that the id already exists means the first send got through, so it is queried, never resent.
/// </summary>
internal sealed class PlacementRunner
{
    private readonly IExchange _exchange;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly ResiliencePipeline<ExchangeResult<OrderUpdate>> _send;
    private readonly ResiliencePipeline<ExchangeResult<OrderUpdate>> _query;
    private readonly TimeSpan _firstQueryDelay;
    private readonly TimeProvider _time;
    private readonly Action<string, OrderRequest> _beforeResend;

    /// <param name="exchange">Where orders go.</param>
    /// <param name="options">Attempts, queries and delays.</param>
    /// <param name="time">The clock of the delays.</param>
    /// <param name="logger">For retries and resolutions.</param>
    /// <param name="beforeResend">Makes a resend durable before it leaves (it throws to stop the resend).</param>
    /// <param name="stopping">Cancels everything under way.</param>
    public PlacementRunner(IExchange exchange, NaiveStrategyOptions options, TimeProvider time, ILogger logger, Action<string, OrderRequest> beforeResend, CancellationToken stopping)
    {
        _beforeResend = beforeResend;
        _exchange = exchange;
        _logger = logger;
        _stopping = stopping;
        _time = time;
        _firstQueryDelay = options.RetryDelay;
        _send = Resilience.Retry<OrderUpdate>(options, time, options.MaxPlacementAttempts, e => e.Kind == ExchangeErrorKind.Transient, (context, error, attempt, delay) =>
        {
            if (Resilience.TryGetOrder(context, out var order))
            {
                Log.PlacementRetry(logger, order.TraderId, order.Symbol, order.ClientOrderId, error, attempt, delay);
            }
        });
        _query = Resilience.Retry<OrderUpdate>(options, time, options.MaxStatusQueries, e => e.Kind is ExchangeErrorKind.Transient or ExchangeErrorKind.Unknown);
    }

    /// <summary>Sends a new order. Completes synchronously when the exchange does (the in-memory exchange).</summary>
    public ValueTask<PlacementOutcome> PlaceAsync(string traderId, OrderRequest request)
    {
        var sent = SendAsync(traderId, request);
        return sent.IsCompletedSuccessfully ? AfterSend(traderId, request, sent.Result, resent: false) : AwaitSendAsync(traderId, request, sent, resent: false);
    }

    /// <summary>
    /// Cancels an acknowledged order (retrying transient failures). Answers the order's state: canceled as
    /// the exchange says, or, when the cancel was refused (the order filled meanwhile, or is unknown), what
    /// a query finds; never <see cref="PlacementResult.Rejected"/>, so a refused cancel ends no trader.
    /// </summary>
    public async ValueTask<PlacementOutcome> CancelAsync(string traderId, OrderRequest order)
    {
        var (done, error) = await AskAsync(static (exchange, r, ct) => exchange.CancelOrderAsync(r.Symbol, r.ClientOrderId, ct), traderId, order);
        if (done is { } outcome)
        {
            return outcome;
        }

        Log.CancelRefused(_logger, traderId, order.Symbol, order.ClientOrderId, error!);
        var found = await ResolveAsync(traderId, order, OrderStatus.New, waitFirst: false);
        return found.Result == PlacementResult.Rejected ? new(PlacementResult.Unresolved, null, found.Error) : found;
    }

    // One call through the query policy: the order's state, or Stopped, as the outcome; otherwise no
    // outcome and the exchange's error for the caller to decide on.
    private async ValueTask<(PlacementOutcome? Done, ExchangeError? Error)> AskAsync(
        Func<IExchange, OrderRequest, CancellationToken, ValueTask<ExchangeResult<OrderUpdate>>> call, string traderId, OrderRequest request)
    {
        ExchangeResult<OrderUpdate> answer;
        try
        {
            answer = await ExecuteAsync(_query, call, traderId, request);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return (new(PlacementResult.Stopped, null, null), null);
        }

        return answer.IsSuccess ? (new(PlacementResult.Placed, answer.Value, null), null)
            : _stopping.IsCancellationRequested ? (new(PlacementResult.Stopped, null, null), null)
            : (null, answer.Error);
    }

    /// <summary>
    /// After a restart or an unknown answer: asks the exchange about an order we may have sent. One it
    /// has comes back as its update; one it does not have is sent once if it was never acknowledged
    /// (<paramref name="known"/> is <see cref="OrderStatus.PendingNew"/>), else reported as vanished.
    /// </summary>
    public async ValueTask<PlacementOutcome> ResolveAsync(string traderId, OrderRequest request, OrderStatus known, bool waitFirst, bool resent = false)
    {
        if (waitFirst && !await DelayAsync(_firstQueryDelay))
        {
            return new(PlacementResult.Stopped, null, null);
        }

        var (done, error) = await AskAsync(static (exchange, r, ct) => exchange.GetOrderAsync(r.Symbol, r.ClientOrderId, ct), traderId, request);
        if (done is { } outcome)
        {
            return outcome;
        }

        var failure = error!;
        if (failure.Kind != ExchangeErrorKind.NotFound)
        {
            Log.PlacementUnresolved(_logger, traderId, request.Symbol, request.ClientOrderId, failure);
            return new(PlacementResult.Unresolved, null, failure);
        }

        if (known != OrderStatus.PendingNew)
        {
            Log.OrderVanished(_logger, traderId, request.Symbol, request.ClientOrderId, known);
            return new(PlacementResult.Unresolved, null, failure);
        }

        if (resent)
        {
            // Sent twice and still unknown to the exchange: give up on it rather than send a third time.
            return new(PlacementResult.Rejected, null, failure);
        }

        Log.ResendingIntent(_logger, traderId, request.Symbol, request.ClientOrderId);
        try
        {
            _beforeResend(traderId, request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.InputFailed(_logger, ex, request.Symbol);
            return new(PlacementResult.Unresolved, null, Resilience.Thrown(ex));
        }

        return await AwaitSendAsync(traderId, request, SendAsync(traderId, request), resent: true);
    }

    private ValueTask<ExchangeResult<OrderUpdate>> SendAsync(string traderId, OrderRequest request) =>
        ExecuteAsync(_send, static (exchange, r, ct) => r.Type == OrderType.Market ? exchange.PlaceMarketOrderAsync(r, ct) : exchange.PlaceLimitOrderAsync(r, ct), traderId, request);

    private async ValueTask<PlacementOutcome> AwaitSendAsync(string traderId, OrderRequest request, ValueTask<ExchangeResult<OrderUpdate>> sent, bool resent)
    {
        ExchangeResult<OrderUpdate> result;
        try
        {
            result = await sent;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return new(PlacementResult.Stopped, null, null);
        }

        return await AfterSend(traderId, request, result, resent);
    }

    private ValueTask<PlacementOutcome> AfterSend(string traderId, OrderRequest request, ExchangeResult<OrderUpdate> result, bool resent)
    {
        if (result.IsSuccess)
        {
            return new(new PlacementOutcome(PlacementResult.Placed, result.Value, null));
        }

        return result.Error.Kind switch
        {
            _ when _stopping.IsCancellationRequested => new(new PlacementOutcome(PlacementResult.Stopped, null, result.Error)),

            // Maybe placed, or placed by an earlier send that is still on its way: ask before deciding.
            ExchangeErrorKind.Unknown or ExchangeErrorKind.Duplicate => ResolveAsync(traderId, request, OrderStatus.PendingNew, waitFirst: true, resent: resent || result.Error.Kind == ExchangeErrorKind.Duplicate),
            _ => new(new PlacementOutcome(PlacementResult.Rejected, null, result.Error)),
        };
    }

    // One exchange call through a pipeline, with a pooled context naming the order for the retry log;
    // an adapter that throws is a value too. Completes synchronously when the exchange does.
    private ValueTask<ExchangeResult<OrderUpdate>> ExecuteAsync(
        ResiliencePipeline<ExchangeResult<OrderUpdate>> pipeline,
        Func<IExchange, OrderRequest, CancellationToken, ValueTask<ExchangeResult<OrderUpdate>>> call,
        string traderId,
        OrderRequest request)
    {
        var context = Resilience.Context(traderId, request.Symbol, request.ClientOrderId, _stopping);
        var pending = pipeline.ExecuteAsync(static async (context, state) =>
        {
            try
            {
                return await state.call(state.exchange, state.request, context.CancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
            {
                return Resilience.Thrown(ex);
            }
        }, context, (exchange: _exchange, call, request));
        if (pending.IsCompleted)
        {
            ResilienceContextPool.Shared.Return(context);
            return pending;
        }

        return ReturnWhenDoneAsync(pending, context);
    }

    private static async ValueTask<ExchangeResult<OrderUpdate>> ReturnWhenDoneAsync(ValueTask<ExchangeResult<OrderUpdate>> pending, ResilienceContext context)
    {
        try
        {
            return await pending;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
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
}

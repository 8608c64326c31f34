using Polly;
using Polly.Retry;

namespace NaiveStrategy.Engine;

/// <summary>
/// The engine's retry policies on Polly, all built from <see cref="NaiveStrategyOptions"/> and the
/// engine's <see cref="TimeProvider"/>: exponential backoff with jitter from
/// <see cref="NaiveStrategyOptions.RetryDelay"/>, capped at <see cref="NaiveStrategyOptions.MaxRetryDelay"/>.
/// The engine is the one owner of retries; adapters report outcomes as values.
/// </summary>
internal static class Resilience
{
    // The order a pipeline execution is about (for retry logs): three references, so setting them boxes nothing.
    private static readonly ResiliencePropertyKey<string> TraderId = new("NaiveStrategy.TraderId");
    private static readonly ResiliencePropertyKey<string> Symbol = new("NaiveStrategy.Symbol");
    private static readonly ResiliencePropertyKey<string> ClientOrderId = new("NaiveStrategy.ClientOrderId");

    /// <summary>A context from Polly's pool naming the order a call is about; return it with <see cref="ResilienceContextPool.Return"/>.</summary>
    public static ResilienceContext Context(string traderId, string symbol, string clientOrderId, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(TraderId, traderId);
        context.Properties.Set(Symbol, symbol);
        context.Properties.Set(ClientOrderId, clientOrderId);
        return context;
    }

    /// <summary>The order named by <see cref="Context"/>, if the context names one.</summary>
    public static bool TryGetOrder(ResilienceContext context, out (string TraderId, string Symbol, string ClientOrderId) order)
    {
        if (context.Properties.TryGetValue(TraderId, out var traderId) && context.Properties.TryGetValue(Symbol, out var symbol) && context.Properties.TryGetValue(ClientOrderId, out var clientOrderId))
        {
            order = (traderId, symbol, clientOrderId);
            return true;
        }

        order = default;
        return false;
    }

    /// <summary>Retries an exchange call while its result is an error <paramref name="retryOn"/> accepts.</summary>
    public static ResiliencePipeline<ExchangeResult<T>> Retry<T>(NaiveStrategyOptions options, TimeProvider time, int maxAttempts, Func<ExchangeError, bool> retryOn, Action<ResilienceContext, ExchangeError, int, TimeSpan>? onRetry = null) =>
        maxAttempts <= 1 ? ResiliencePipeline<ExchangeResult<T>>.Empty : new ResiliencePipelineBuilder<ExchangeResult<T>> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<ExchangeResult<T>>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { IsSuccess: false } failed && retryOn(failed.Error)),
                MaxRetryAttempts = maxAttempts == int.MaxValue ? int.MaxValue : maxAttempts - 1,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    if (onRetry is not null && args.Outcome.Result is { IsSuccess: false } failed)
                    {
                        onRetry(args.Context, failed.Error, args.AttemptNumber + 1, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>An exception thrown by an adapter as a value: we cannot know whether the call took effect.</summary>
    public static ExchangeError Thrown(Exception ex) => new(ExchangeErrorKind.Unknown, 0, ex.Message);
}

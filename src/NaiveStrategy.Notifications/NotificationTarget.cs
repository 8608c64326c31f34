using System.Net;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Notifications.Sinks;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace NaiveStrategy.Notifications;

/// <summary>
/// One target's delivery: a bounded queue the engine's thread only tries to write to (full: dropped and counted,
/// never waited for), and one loop that sends each notification through the target's pipeline — rate limiter
/// (token bucket), retry (timeouts, network errors, 408, 429 with its Retry-After, 5xx), timeout per attempt. The
/// retries of a notification have this one owner.
/// </summary>
internal sealed class NotificationTarget : IAsyncDisposable
{
    private readonly INotificationSink _sink;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private readonly Channel<Notification> _queue;
    private readonly TokenBucketRateLimiter _limiter;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private long _dropped;
    private long _delivered;
    private long _failed;
    private int _full;

    public NotificationTarget(INotificationSink sink, HttpClient http, NaiveStrategyNotificationOptions options, TimeProvider time, ILogger logger)
    {
        _sink = sink;
        _http = http;
        _logger = logger;
        _capacity = options.QueueCapacity;
        _queue = Channel.CreateBounded<Notification>(new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.MaxPerMinute,
            TokensPerPeriod = options.MaxPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 1, // the loop's one waiting send; the notifications wait in the queue above
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }.AddRateLimiter(_limiter);
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } response } => IsTransient(response.StatusCode),
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryDelay, time)),
            });
        }

        _pipeline = builder.AddTimeout(options.Timeout).Build();
    }

    public string Name => _sink.Name;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Notifications waiting to be sent.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Sends waiting for the rate limiter's next token (0 or 1).</summary>
    internal long WaitingForRate => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Called on the engine's thread: never waits.</summary>
    public void Offer(Notification notification)
    {
        if ((_sink.Events & notification.Kind) == 0)
        {
            return;
        }

        if (_queue.Writer.TryWrite(notification))
        {
            return;
        }

        Interlocked.Increment(ref _dropped);
        if (Interlocked.Exchange(ref _full, 1) == 0)
        {
            Log.QueueFull(_logger, _sink.Name, _capacity);
        }
    }

    /// <summary>Sends what is queued until <paramref name="cancellationToken"/> fires, then gives up the rest.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped while sending
        }

        await _limiter.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var notification))
            {
                Volatile.Write(ref _full, 0);
                await SendAsync(notification, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    using var request = _sink.CreateRequest(notification);
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                // Logged before counted: whoever watches the counters finds the line written.
                Log.Delivered(_logger, _sink.Name, notification.KindName);
                Interlocked.Increment(ref _delivered);
            }
            else
            {
                Log.Refused(_logger, _sink.Name, response.StatusCode, notification.KindName, attempts);
                Interlocked.Increment(ref _failed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or RateLimiterRejectedException or OperationCanceledException)
        {
            // The exception's message may carry the request's address: only its kind is logged.
            Log.Unreachable(_logger, _sink.Name, notification.KindName, ex is HttpRequestException h ? $"{h.HttpRequestError}" : ex.GetType().Name);
            Interlocked.Increment(ref _failed);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    // A 429 (Slack, Discord, Telegram) says how long to wait in Retry-After; null keeps the exponential backoff.
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max, TimeProvider time)
    {
        var retryAfter = response?.Headers.RetryAfter;
        var delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
        return delay is { } d && d > TimeSpan.Zero ? (d < max ? d : max) : null;
    }
}

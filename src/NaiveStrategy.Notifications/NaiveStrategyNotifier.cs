using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NaiveStrategy.Notifications.Sinks;

namespace NaiveStrategy.Notifications;

/// <summary>
/// Tells webhooks and Telegram chats what the engine does: a projection of its <see cref="NaiveStrategyEngine.Events"/>
/// and <see cref="NaiveStrategyEngine.ReadinessChanged"/>, as its logs and metrics are. The engine's thread only
/// offers each notification to every target's bounded queue; a target that is slow or down fills its queue and the
/// rest is dropped and counted (<see cref="Dropped"/>), so a dead webhook never slows trading. In a host,
/// <c>AddNaiveStrategyNotifications(…)</c> starts it before the engine and stops it after.
/// </summary>
public sealed class NaiveStrategyNotifier : IAsyncDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> the targets use (<c>IHttpClientFactory</c>), for a proxy or a handler of its own.</summary>
    public const string HttpClientName = "NaiveStrategy.Notifications";

    private readonly NaiveStrategyEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NotificationTarget[] _targets;
    private readonly Lock _gate = new();
    private IDisposable? _subscription;
    private bool? _lastReady;
    private bool _disposed;

    /// <summary>Creates a notifier; its targets' secrets are read from the environment now.</summary>
    /// <param name="engine">The engine to tell about.</param>
    /// <param name="options">The targets and delivery options (validated here when not already).</param>
    /// <param name="httpClientFactory">Where the targets' <see cref="HttpClient"/> comes from (named <see cref="HttpClientName"/>).</param>
    /// <param name="timeProvider">The clock of retries and timeouts.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    public NaiveStrategyNotifier(NaiveStrategyEngine engine, IOptions<NaiveStrategyNotificationOptions> options, IHttpClientFactory httpClientFactory, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        var value = options?.Value ?? throw new ArgumentNullException(nameof(options));
        var validation = new NaiveStrategyNotificationOptionsValidator().Validate(null, value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(NaiveStrategyNotificationOptions), typeof(NaiveStrategyNotificationOptions), validation.Failures);
        }

        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NaiveStrategy.Notifications");
        var http = httpClientFactory.CreateClient(HttpClientName);
        var sinks = value.Webhooks
            .Select(w => (INotificationSink)new WebhookSink(w.Name, new Uri(Environment.GetEnvironmentVariable(w.UrlVariable)!.Trim()), w.Format, w.Events))
            .Concat(value.Telegram.Select(t => new TelegramSink(t.Name, t.ApiBase, Environment.GetEnvironmentVariable(t.TokenVariable)!.Trim(), t.ChatId, t.Events)));
        _targets = sinks.Select(s => new NotificationTarget(s, http, value, timeProvider, _logger)).ToArray();
    }

    /// <summary>Notifications dropped because a target's queue was full (it was slow or down), over every target.</summary>
    public long Dropped => _targets.Sum(t => t.Dropped);

    /// <summary>Notifications a target accepted (a 2xx answer), over every target.</summary>
    public long Delivered => _targets.Sum(t => t.Delivered);

    /// <summary>Notifications given up after their last attempt (refused, unreachable or timed out), over every target.</summary>
    public long Failed => _targets.Sum(t => t.Failed);

    /// <summary>Notifications waiting in the targets' queues.</summary>
    public int Queued => _targets.Sum(t => t.Queued);

    internal IReadOnlyList<NotificationTarget> Targets => _targets;

    /// <summary>Subscribes to the engine and starts delivering; a second call does nothing.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_subscription is not null)
            {
                return;
            }

            foreach (var target in _targets)
            {
                target.Start();
            }

            _engine.ReadinessChanged += OnReadinessChanged;
            var events = _engine.Events.Subscribe(new EventObserver(this));
            _subscription = new Subscription(() =>
            {
                events.Dispose();
                _engine.ReadinessChanged -= OnReadinessChanged;
            });
        }

        if (_targets.Length > 0 && _logger.IsEnabled(LogLevel.Information))
        {
            var names = string.Join(", ", _targets.Select(t => t.Name));
            Log.Started(_logger, names);
        }
    }

    /// <summary>Stops listening, then sends what is queued until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="cancellationToken">Gives up the notifications still queued.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Unsubscribe();
        await Task.WhenAll(_targets.Select(t => t.StopAsync(cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Stops listening and gives up what is still queued.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Unsubscribe();
        foreach (var target in _targets)
        {
            await target.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Unsubscribe()
    {
        IDisposable? subscription;
        lock (_gate)
        {
            subscription = _subscription;
            _subscription = null;
        }

        subscription?.Dispose();
    }

    private void Offer(Notification notification)
    {
        foreach (var target in _targets)
        {
            target.Offer(notification);
        }
    }

    // Only a change between ready and not ready is told: the reasons while starting change at every attempt.
    private void OnReadinessChanged(object? sender, EngineReadiness readiness)
    {
        lock (_gate)
        {
            if (_lastReady == readiness.IsReady)
            {
                return;
            }

            _lastReady = readiness.IsReady;
        }

        Offer(NotificationProjection.Project(readiness, _time.GetUtcNow()));
    }

    private sealed class EventObserver(NaiveStrategyNotifier notifier) : IObserver<StrategyEvent>
    {
        public void OnNext(StrategyEvent value)
        {
            if (NotificationProjection.Project(value) is { } notification)
            {
                notifier.Offer(notification);
            }
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }

    private sealed class Subscription(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

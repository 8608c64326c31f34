using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NaiveStrategy.Engine;
using NaiveStrategy.Reactive;

namespace NaiveStrategy;

/// <summary>
/// Runs the strategy for any number of symbols against one <see cref="IExchange"/>: one leader and
/// one serialized input stream per symbol, fed by the market data's trades and the exchange's order updates.
/// </summary>
public sealed partial class NaiveStrategyEngine : IAsyncDisposable, IDisposable
{
    private readonly IExchange _exchange;
    private readonly IMarketData _marketData;
    private readonly NaiveStrategyOptions _options;
    private readonly TraderIdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IStrategyStore? _store;
    private readonly ConcurrentDictionary<string, SymbolPipeline> _symbols = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _inflight = new();
    private readonly ObserverSet<StrategyEvent> _events = new();
    private readonly EventLog _eventLog;
    private readonly EngineMetrics _metrics;
    private readonly StoreHealth _storeHealth = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly EngineContext _context;
    private readonly Polly.ResiliencePipeline<ExchangeResult<SymbolFilters>> _filtersRetry;
    private bool _disposed;
    private EngineReadiness _readiness = EngineReadiness.NotStarted;

    /// <summary>Creates an engine.</summary>
    /// <param name="exchange">The exchange to trade on.</param>
    /// <param name="marketData">Where public trades come from (often the exchange itself).</param>
    /// <param name="options">Symbols and retry policy.</param>
    /// <param name="ids">Source of trader ids.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="store">Durable state; when given, every change is saved before orders are sent and <see cref="StartAsync"/> resumes from it.</param>
    public NaiveStrategyEngine(IExchange exchange, IMarketData marketData, IOptions<NaiveStrategyOptions> options, TraderIdGenerator ids, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null, IStrategyStore? store = null)
    {
        _store = store;
        _exchange = exchange ?? throw new ArgumentNullException(nameof(exchange));
        _marketData = marketData ?? throw new ArgumentNullException(nameof(marketData));
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        _ids = ids ?? throw new ArgumentNullException(nameof(ids));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NaiveStrategy");
        _eventLog = new EventLog(_logger, symbol => GetLeaderState(symbol)?.Filters);
        var validation = new NaiveStrategyOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(NaiveStrategyOptions), typeof(NaiveStrategyOptions), validation.Failures);
        }

        _metrics = new EngineMetrics(this, () => _symbols.Values);
        _context = new EngineContext(_options, _time, _logger, _store, Publish, Track, _metrics, _storeHealth, _stopping.Token, AccountGuard.For(_options, () => _symbols.Values, _logger));
        _filtersRetry = Resilience.Retry<SymbolFilters>(_options, _time, _options.MaxPlacementAttempts, static e => e.Kind == ExchangeErrorKind.Transient);
    }

    /// <summary>Everything the leaders and traders decide, as it happens (orders, fills, traders started and finished).</summary>
    public IObservable<StrategyEvent> Events => _events.AsObservable();

    /// <summary>The symbols the engine has started at least once.</summary>
    public IReadOnlyCollection<string> Symbols => _symbols.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Whether the engine is ready (every symbol asked for trades, input streams up, store writable), and why not:
    /// what a readiness check reports. The streams and the store are read now.
    /// </summary>
    public EngineReadiness Readiness => WithHealth(Volatile.Read(ref _readiness));

    /// <summary>
    /// Raised when <see cref="EngineReadiness.Status"/> or <see cref="EngineReadiness.Waiting"/> changes (on the thread
    /// that changed it); a stream or the store failing or recovering does not raise it.
    /// </summary>
    public event EventHandler<EngineReadiness>? ReadinessChanged;

    /// <summary>
    /// Resumes every symbol saved in the store (traders with the same ids, their open orders
    /// reconciled with the exchange), then starts every other configured symbol whose status is
    /// <see cref="SymbolStatus.On"/> (autostart). Configured settings win over saved ones for new traders.
    /// </summary>
    /// <exception cref="InvalidOperationException">The exchange could not give a symbol's filters (see <see cref="StartWithRetriesAsync"/> to wait for it instead).</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var steps = PlanStart();
        var waiting = steps.ToDictionary(s => s.Symbol, _ => "starting", StringComparer.Ordinal);
        Report(waiting);
        foreach (var step in steps)
        {
            try
            {
                await step.Start(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                waiting[step.Symbol] = ex.Message;
                Report(waiting);
                throw;
            }

            waiting.Remove(step.Symbol);
            Report(waiting);
        }
    }

    /// <summary>
    /// Starts like <see cref="StartAsync"/>, but never fails for the exchange: a symbol it cannot start yet
    /// (down, unreachable, rate-limited, no filters) is logged, shown in <see cref="Readiness"/> and tried
    /// again with backoff (<see cref="NaiveStrategyOptions.RetryDelay"/> doubling up to
    /// <see cref="NaiveStrategyOptions.MaxRetryDelay"/>, on the engine's clock) until it starts, the token
    /// is canceled or the engine is disposed. The hosted service starts the engine this way. Completes
    /// synchronously when every symbol starts at once (the in-memory exchange).
    /// </summary>
    public Task StartWithRetriesAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var task = KeepStartingAsync(PlanStart(), cancellationToken);
        Track(task);
        return task;
    }

    /// <summary>The configured symbols and those started since, in order.</summary>
    public IReadOnlyList<string> KnownSymbols => _options.Symbols.Select(s => s.Symbol).Concat(_symbols.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The settings a symbol runs with, or, never started, those configured; null when unknown.</summary>
    public SymbolSettings? GetSettings(string symbol) =>
        GetLeaderState(symbol)?.Settings ?? _options.Symbols.FirstOrDefault(s => string.Equals(s.Symbol, symbol, StringComparison.Ordinal));

    /// <summary>start_trading for a configured symbol (with the settings it last ran with, when it ran).</summary>
    /// <exception cref="ArgumentException">The symbol is not configured.</exception>
    public Task StartTradingAsync(string symbol, CancellationToken cancellationToken = default)
    {
        // Settings changed while running (UpdateSettings) survive a stop and a start.
        var settings = _symbols.GetValueOrDefault(symbol)?.State.Settings
            ?? _options.Symbols.FirstOrDefault(s => string.Equals(s.Symbol, symbol, StringComparison.Ordinal))
            ?? throw new ArgumentException($"Symbol {symbol} is not configured: pass its SymbolSettings.", nameof(symbol));
        return StartTradingAsync(settings, cancellationToken);
    }

    /// <summary>start_trading with explicit settings: fetches the symbol's filters, then starts one trader.</summary>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    /// <exception cref="InvalidOperationException">The exchange could not give the symbol's filters.</exception>
    public async Task StartTradingAsync(SymbolSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(_disposed, this);
        settings.Validate();
        var filters = await GetFiltersAsync(settings.Symbol, "start", cancellationToken);
        var free = await FundsEffects.FreeAsync(_exchange, filters.QuoteAsset, _logger, settings.Symbol, cancellationToken);
        var engine = GetOrCreate(settings);
        // One input: settings and start are saved together, never a state in between.
        engine.Post(SymbolInput.Control(SymbolInputKind.Start, new StartRequest(settings, filters, free)));
    }

    // A saved symbol comes back whole: traders, numbering, dust and realized PnL.
    private async Task RestoreAsync(SymbolSettings settings, StoredSymbol saved, CancellationToken cancellationToken)
    {
        settings.Validate();
        var filters = await GetFiltersAsync(settings.Symbol, "restore", cancellationToken);
        var free = await FundsEffects.FreeAsync(_exchange, filters.QuoteAsset, _logger, settings.Symbol, cancellationToken);
        var engine = GetOrCreate(settings);
        // One input, so no state without the saved traders is ever saved over them (a kill between two
        // inputs would lose them); the pipeline reconciles the restored orders once they are its state.
        engine.Post(SymbolInput.Control(SymbolInputKind.Restore, new RestoreRequest(settings, filters, saved, free)));
    }

    /// <summary>stop_trading: stops at once; open orders stay on the exchange and are reported.</summary>
    public void StopTrading(string symbol)
    {
        if (_symbols.TryGetValue(symbol, out var engine))
        {
            engine.Post(SymbolInput.Control(SymbolInputKind.Stop));
        }
    }

    /// <summary>shutdown_trading: no new traders; running ones finish their cycle, then the symbol stops.</summary>
    public void ShutdownTrading(string symbol)
    {
        if (_symbols.TryGetValue(symbol, out var engine))
        {
            engine.Post(SymbolInput.Control(SymbolInputKind.Shutdown));
        }
    }

    /// <summary>Changes a running symbol's settings: traders started from now on use them.</summary>
    /// <exception cref="ArgumentException">The settings are invalid or the symbol was never started.</exception>
    public void UpdateSettings(SymbolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (!_symbols.TryGetValue(settings.Symbol, out var engine))
        {
            throw new ArgumentException($"Symbol {settings.Symbol} was never started.", nameof(settings));
        }

        engine.Post(SymbolInput.Control(SymbolInputKind.UpdateSettings, settings));
    }

    /// <summary>
    /// Completes once no exchange call, retry or balance check the engine started is still running (at once with
    /// the in-memory exchange, whose calls complete synchronously). For tests and orderly shutdowns.
    /// </summary>
    public async Task WaitUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (!_inflight.IsEmpty)
        {
            try
            {
                await Task.WhenAll(_inflight.Keys).WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed or canceled call is over too: its outcome went back into its symbol's flow.
            }
        }
    }

    /// <summary>A read-only snapshot of a symbol's current state (status, settings, traders, money), or null when never started.</summary>
    public SymbolSnapshot? GetState(string symbol) => _symbols.TryGetValue(symbol, out var engine) ? engine.Snapshot : null;

    /// <summary>The Leader's current state of a symbol, or null when never started.</summary>
    internal LeaderState? GetLeaderState(string symbol) => _symbols.TryGetValue(symbol, out var engine) ? engine.State : null;

    /// <summary>
    /// The band of market trades that would change nothing in <paramref name="symbol"/>'s Leader as it stands
    /// (prices within it, times before its deadline), or null when the next trade may change something, or the
    /// symbol was never started. Read between trades (a backtest replaying on one thread), it lets a replay
    /// skip trades that the engine would handle as no-ops.
    /// </summary>
    public QuietBand? GetQuietBand(string symbol) => _symbols.TryGetValue(symbol, out var engine) ? engine.QuietBand : null;

    /// <summary>Unsubscribes from the exchange and cancels retries, waiting for them to end. Open orders stay on the exchange.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginDispose())
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_inflight.Keys);
        }
        catch (OperationCanceledException)
        {
            // Retries cut short by disposal.
        }

        _stopping.Dispose();
        _metrics.Dispose();
        _events.OnCompleted();
    }

    /// <summary>
    /// Unsubscribes from the exchange and cancels retries without waiting for them (for <c>using</c> and
    /// a service provider disposed synchronously). Open orders stay on the exchange.
    /// </summary>
    public void Dispose()
    {
        if (!BeginDispose())
        {
            return;
        }

        // In-flight calls observe the cancellation on their own; the source holds no timer, so it is left to them.
        _stopping.Cancel();
        _metrics.Dispose();
        _events.OnCompleted();
    }

    private bool BeginDispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _disposed = true;
        }

        foreach (var symbol in _symbols.Values)
        {
            symbol.Dispose();
        }

        SetStopped();
        return true;
    }

    private void SetStopped()
    {
        var stopped = new EngineReadiness { Status = EngineReadinessStatus.Stopped };
        lock (_gate)
        {
            _readiness = stopped;
        }

        ReadinessChanged?.Invoke(this, WithHealth(stopped));
    }

    private SymbolPipeline GetOrCreate(SymbolSettings settings)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_symbols.TryGetValue(settings.Symbol, out var existing))
            {
                return existing;
            }

            var leader = new Leader { FundsCheckDelay = _options.RetryDelay, MaxFundsCheckDelay = _options.MaxRetryDelay };
            // The symbol in the prefix: each symbol numbers its own traders, and ids stay unique in a process that runs many.
            var pipeline = new SymbolPipeline(LeaderState.Create(settings, _ids.PrefixFor(settings.Symbol)), leader, _marketData, _exchange, _context);
            _symbols[settings.Symbol] = pipeline;
            return pipeline;
        }
    }

    // An observer of Events that throws is the application's bug: it is logged, and trading goes on.
    private void Publish(StrategyEvent e)
    {
        _eventLog.OnNext(e);
        _metrics.OnNext(e);
        if (_events.HasObservers)
        {
            try
            {
                _events.OnNext(e);
            }
            catch (AggregateException ex)
            {
                Log.EventObserverFailed(_logger, ex, e.Symbol, e.Event.GetType().Name);
            }
        }
    }

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        _inflight.TryAdd(task, 0);
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _inflight, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Storage;

namespace NaiveStrategy.Orleans;

/// <summary>
/// A symbol's Leader: an engine for the one symbol (the same reducers and effects runner as a single process), whose
/// store is the grain's storage. Market data and order updates reach the engine straight from this silo's adapter;
/// grain calls carry control. Engine calls leave the grain's scheduler (<see cref="Task.Run(Func{Task})"/>): the
/// engine's own continuations must not queue behind grain calls or outlive the activation's scheduler.
/// </summary>
[KeepAlive]
[RandomPlacement]
internal sealed class SymbolLeaderGrain(
    IExchange exchange,
    IMarketData marketData,
    IOptions<NaiveStrategyOptions> strategy,
    IOptions<NaiveStrategyOrleansOptions> options,
    TraderIdGenerator ids,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    SymbolEngines engines,
    ILocalSiloDetails silo,
    IServiceProvider services) : Grain, ISymbolLeaderGrain
{
    private const string StateName = "naive-leader";
    private readonly ILogger _logger = loggerFactory.CreateLogger("NaiveStrategy.Orleans");
    private readonly string _silo = silo.SiloAddress.ToString();
    private NaiveStrategyEngine? _engine;
    private GrainStrategyStore? _store;

    private string Symbol => this.GetPrimaryKeyString();

    private NaiveStrategyEngine Engine => _engine ?? throw new InvalidOperationException($"The Leader of {Symbol} is not active.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = services.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _store = await GrainStrategyStore.ReadAsync(storage, StateName, this.GetGrainId(), options.Value, cancellationToken);
        var engine = new NaiveStrategyEngine(exchange, marketData, Options.Create(EngineOptions()), ids, time, loggerFactory, _store);
        engines.Add(engine);
        _engine = engine;
        var saved = _store.State.Symbol;
        Log.Activated(_logger, Symbol, _silo, saved?.Traders.Count ?? 0, saved?.Status ?? SymbolStatus.Off);

        // Restores the saved traders and reconciles their orders (or starts a configured symbol), retrying an exchange
        // that is down in the background; the activation does not wait for the exchange.
        _ = Task.Run(() => engine.StartWithRetriesAsync(CancellationToken.None), CancellationToken.None);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_engine is { } engine)
        {
            _engine = null;
            await Task.Run(() => engines.RemoveAsync(engine).AsTask(), cancellationToken);
        }

        Log.Deactivated(_logger, Symbol, _silo, reason.ReasonCode);
    }

    public async Task StartAsync()
    {
        var engine = Engine;
        await Task.Run(() => engine.StartTradingAsync(Symbol));
        await Remember();
    }

    public async Task StartAsync(SymbolSettings settings)
    {
        Check(settings);
        var engine = Engine;
        await Task.Run(() => engine.StartTradingAsync(settings));
        await Remember();
    }

    public Task StopAsync() => Run(engine => engine.StopTrading(Symbol));

    public Task ShutdownAsync() => Run(engine => engine.ShutdownTrading(Symbol));

    public Task UpdateSettingsAsync(SymbolSettings settings)
    {
        Check(settings);
        return Run(engine => engine.UpdateSettings(settings));
    }

    public Task<SymbolLeaderStatus> GetStatusAsync()
    {
        var engine = Engine;
        var state = engine.GetState(Symbol);
        return Task.FromResult(new SymbolLeaderStatus
        {
            Symbol = Symbol,
            Silo = _silo,
            Status = state?.Status ?? SymbolStatus.Off,
            Settings = state?.Settings ?? engine.GetSettings(Symbol),
            Traders = state is null ? [] : [.. state.Traders],
            RealizedPnl = state?.RealizedPnl ?? 0m,
            Ready = engine.Readiness.Status == EngineReadinessStatus.Ready,
            StoreError = _store?.Fenced,
        });
    }

    public Task<IReadOnlyList<OrderIntent>> GetIntentsAsync() => Task.FromResult(_store?.State.Intents ?? []);

    public Task PingAsync()
    {
        if (_store?.Fenced is { } fenced)
        {
            // Another activation owns the symbol now: this one goes, and its engine with it.
            Log.Fenced(_logger, Symbol, fenced);
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    private void Check(SymbolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.Symbol, Symbol, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The Leader of {Symbol} cannot take settings for {settings.Symbol}.", nameof(settings));
        }

        settings.Validate();
    }

    private Task Run(Action<NaiveStrategyEngine> action)
    {
        var engine = Engine;
        return Task.Run(() => action(engine));
    }

    // A symbol started by a call comes back after a failover like a configured one.
    private Task Remember() => GrainFactory.GetGrain<ISymbolDirectoryGrain>(0).AddAsync(Symbol);

    // The silo's engine settings, with only this symbol's configuration.
    private NaiveStrategyOptions EngineOptions()
    {
        var silo = strategy.Value;
        var own = new NaiveStrategyOptions
        {
            MaxPlacementAttempts = silo.MaxPlacementAttempts,
            MaxStatusQueries = silo.MaxStatusQueries,
            RetryDelay = silo.RetryDelay,
            MaxRetryDelay = silo.MaxRetryDelay,
        };
        foreach (var settings in silo.Symbols.Where(s => string.Equals(s.Symbol, Symbol, StringComparison.Ordinal)))
        {
            own.Symbols.Add(settings);
        }

        return own;
    }
}

using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Engine;

/// <summary>
/// The account-wide <see cref="NaiveStrategyOptions.MaxDrawdown"/>: the account's equity is the sum of every symbol's
/// (<see cref="GuardMath.Equity"/>: budget plus PnL, its holdings at its last trade), kept up to date as each symbol's
/// trades go by; when it falls the fraction below its peak, the guard fires in every symbol at once (a
/// <see cref="SymbolInputKind.FireGuard"/> input each, so each Leader decides and saves it like one of its own). It
/// fires once: the symbols stay off, across restarts too (their saved guard says so), and it watches afresh (a new
/// peak) from the first trade of a symbol an operator started again. Symbols' flows run on their own threads: one
/// lock, taken only when the guard is set.
/// </summary>
internal sealed class AccountGuard
{
    private readonly Lock _gate = new();
    private readonly decimal _maxDrawdown;
    private readonly GuardAction _action;
    private readonly Func<IEnumerable<SymbolPipeline>> _pipelines;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (decimal Equity, decimal Price)> _marks = new(StringComparer.Ordinal);

    // Symbols asked to fire (they may still have trades queued before the input), and those whose state shows it fired.
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fired = new(StringComparer.Ordinal);
    private decimal _total;
    private decimal _peak;
    private bool _tripped;

    private AccountGuard(decimal maxDrawdown, GuardAction action, Func<IEnumerable<SymbolPipeline>> pipelines, ILogger logger)
    {
        _maxDrawdown = maxDrawdown;
        _action = action;
        _pipelines = pipelines;
        _logger = logger;
    }

    /// <summary>The guard the options ask for, or null when <see cref="NaiveStrategyOptions.MaxDrawdown"/> is off.</summary>
    public static AccountGuard? For(NaiveStrategyOptions options, Func<IEnumerable<SymbolPipeline>> pipelines, ILogger logger) =>
        options.MaxDrawdown is { } drawdown ? new(drawdown, options.MaxDrawdownAction, pipelines, logger) : null;

    /// <summary>The account's equity as last marked, and its peak (for tests and diagnostics).</summary>
    public (decimal Equity, decimal Peak) Figures
    {
        get
        {
            lock (_gate)
            {
                return (_total, _peak);
            }
        }
    }

    /// <summary>A trade (<paramref name="trade"/>) was handled and left its Leader at <paramref name="state"/>.</summary>
    public void Mark(LeaderState state, in TradeEvent trade)
    {
        var symbol = state.Symbol;
        List<(string Symbol, FiredGuard Fired)>? fire = null;
        lock (_gate)
        {
            var fired = state.Guard.Fired;
            if (fired is { Kind: GuardKind.AccountDrawdown })
            {
                // Fired here, or saved fired before a restart: the account guard has fired.
                _tripped = true;
                _fired.Add(symbol);
            }
            else if (_tripped && _fired.Contains(symbol))
            {
                if (fired is not null || state.Status != SymbolStatus.On)
                {
                    return;
                }

                // An operator started it again: watch afresh.
                _tripped = false;
                _fired.Clear();
                _asked.Clear();
                _marks.Clear();
                _total = 0m;
                _peak = 0m;
            }
            else if (_tripped)
            {
                // Started after the guard fired (or its input is still queued): ask it once.
                if (_asked.Add(symbol))
                {
                    fire = [(symbol, Guard(trade, trade.Price, _peak > 0 ? (_peak - _total) / _peak : 0m))];
                }
            }

            var equity = GuardMath.Equity(state, trade.Price);
            _total += equity - (_marks.TryGetValue(symbol, out var before) ? before.Equity : 0m);
            _marks[symbol] = (equity, trade.Price);
            if (!_tripped)
            {
                if (_total > _peak)
                {
                    _peak = _total;
                }
                else if (_peak > 0 && _total <= _peak * (1 - _maxDrawdown))
                {
                    _tripped = true;
                    var figure = (_peak - _total) / _peak;
                    Log.AccountGuardFired(_logger, figure, _maxDrawdown, _total, _peak, _action);
                    fire = [];
                    foreach (var pipeline in _pipelines())
                    {
                        _asked.Add(pipeline.Symbol);
                        var price = _marks.TryGetValue(pipeline.Symbol, out var mark) ? mark.Price : 0m;
                        fire.Add((pipeline.Symbol, Guard(trade, price, figure)));
                    }
                }
            }
        }

        // Outside the lock: with a synchronous exchange another symbol's flow runs its input on this thread.
        if (fire is not null)
        {
            foreach (var pipeline in _pipelines())
            {
                foreach (var (target, guard) in fire)
                {
                    if (string.Equals(target, pipeline.Symbol, StringComparison.Ordinal))
                    {
                        pipeline.Post(SymbolInput.Control(SymbolInputKind.FireGuard, guard));
                    }
                }
            }
        }
    }

    private FiredGuard Guard(in TradeEvent trade, decimal price, decimal figure) =>
        new(GuardKind.AccountDrawdown, _action, trade.Time, price, figure, _maxDrawdown);
}

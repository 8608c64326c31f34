using System.Globalization;
using Microsoft.Extensions.Options;

namespace NaiveStrategy;

/// <summary>Options of the strategy engine.</summary>
public sealed class NaiveStrategyOptions
{
    /// <summary>The symbols the engine knows; those with <see cref="SymbolStatus.On"/> start automatically.</summary>
    public IList<SymbolSettings> Symbols { get; } = new List<SymbolSettings>();

    /// <summary>How many times an order that failed transiently (not executed: rate limit, connection refused) is sent.</summary>
    public int MaxPlacementAttempts { get; set; } = 5;

    /// <summary>How many times an order whose status is unknown (timeout, 5xx) is queried before it is left to the order stream.</summary>
    public int MaxStatusQueries { get; set; } = 10;

    /// <summary>First delay between retries and queries; doubles each time (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two retries, queries or stream resubscriptions.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The account-wide risk guard (off when null): a fraction in (0, 1). When the account's equity, the sum of every
    /// running symbol's (budget plus PnL, its holdings marked to market at its last trade), falls this fraction below
    /// its peak, every symbol's guard fires (<see cref="GuardKind.AccountDrawdown"/>) with <see cref="MaxDrawdownAction"/>,
    /// and each stays off, across restarts, until an operator starts it again.
    /// </summary>
    public decimal? MaxDrawdown { get; set; }

    /// <summary>What every symbol does when <see cref="MaxDrawdown"/> fires: <see cref="GuardAction.Stop"/> (the default) or <see cref="GuardAction.Exit"/>.</summary>
    public GuardAction MaxDrawdownAction { get; set; } = GuardAction.Stop;

    /// <summary>Adds a symbol with the book's defaults (status <see cref="SymbolStatus.On"/>) changed by <paramref name="configure"/>.</summary>
    public NaiveStrategyOptions AddSymbol(string symbol, Func<SymbolSettings, SymbolSettings>? configure = null)
    {
        var settings = new SymbolSettings { Symbol = symbol };
        Symbols.Add(configure is null ? settings : configure(settings));
        return this;
    }
}

/// <summary>Validates <see cref="NaiveStrategyOptions"/> once, at start (registered by both <c>AddNaiveStrategy</c>, the host's and the Orleans silo's).</summary>
internal sealed class NaiveStrategyOptionsValidator : IValidateOptions<NaiveStrategyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NaiveStrategyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var settings in options.Symbols)
        {
            errors.AddRange(settings.FindErrors());
        }

        foreach (var duplicate in options.Symbols.GroupBy(s => s.Symbol, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"symbol {duplicate.Key} is configured {duplicate.Count().ToString(CultureInfo.InvariantCulture)} times.");
        }

        if (options.MaxPlacementAttempts < 1)
        {
            errors.Add($"MaxPlacementAttempts must be >= 1, got {options.MaxPlacementAttempts.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.MaxStatusQueries < 1)
        {
            errors.Add($"MaxStatusQueries must be >= 1, got {options.MaxStatusQueries.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.RetryDelay <= TimeSpan.Zero)
        {
            errors.Add($"RetryDelay must be > 0, got {options.RetryDelay}.");
        }

        if (options.MaxRetryDelay < options.RetryDelay)
        {
            errors.Add($"MaxRetryDelay must be >= RetryDelay ({options.RetryDelay}), got {options.MaxRetryDelay}.");
        }

        if (options.MaxDrawdown is { } drawdown && (drawdown <= 0 || drawdown >= 1))
        {
            errors.Add($"MaxDrawdown must be in (0, 1) when set, got {drawdown.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!Enum.IsDefined(options.MaxDrawdownAction))
        {
            errors.Add($"MaxDrawdownAction must be Stop or Exit, got {options.MaxDrawdownAction}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using System.Collections.Immutable;

namespace NaiveStrategy;

/// <summary>The state of a symbol's leader; immutable.</summary>
public sealed record LeaderState
{
    /// <summary>The symbol's settings (new traders use these).</summary>
    public required SymbolSettings Settings { get; init; }

    /// <summary>The symbol's trading rules, once fetched.</summary>
    public SymbolFilters? Filters { get; init; }

    /// <summary>Trading status.</summary>
    public SymbolStatus Status { get; init; } = SymbolStatus.Off;

    /// <summary>The running traders, oldest first, each at its latest state.</summary>
    public ImmutableArray<TraderState> Traders { get; init; } = [];

    /// <summary>The symbol.</summary>
    public string Symbol => Settings.Symbol;

    /// <summary>A stopped leader for <paramref name="settings"/>.</summary>
    public static LeaderState Create(SymbolSettings settings) => new() { Settings = settings ?? throw new ArgumentNullException(nameof(settings)) };
}

/// <summary>The result of a leader step.</summary>
/// <param name="State">The new state (the same instance when nothing changed).</param>
/// <param name="Commands">Effects, in order.</param>
public readonly record struct LeaderDecision(LeaderState State, IReadOnlyList<TradingCommand> Commands)
{
    /// <summary>No change, no effect.</summary>
    public static LeaderDecision Unchanged(LeaderState state) => new(state, []);
}

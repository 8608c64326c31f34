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
    public ImmutableArray<TraderState> Traders
    {
        get;
        init
        {
            field = value;
            QuietFrom = ComputeQuietFrom(value);
        }
    } = [];

    /// <summary>
    /// A market trade at or above this price changes no trader (each has its buy order and is either
    /// past its rebuy notification or above its rebuy level); null when any trader still waits for its
    /// first trade. Derived from <see cref="Traders"/> whenever they change, so the trade path can skip
    /// the traders with one comparison.
    /// </summary>
    internal decimal? QuietFrom { get; private init; } = decimal.MinValue;

    private static decimal? ComputeQuietFrom(ImmutableArray<TraderState> traders)
    {
        var quietFrom = decimal.MinValue;
        foreach (var t in traders)
        {
            if (t.Outcome is not null)
            {
                continue;
            }

            if (t.BuyOrder is null)
            {
                return null;
            }

            if (!t.RebuyNotified && t.RebuyPrice > quietFrom)
            {
                quietFrom = t.RebuyPrice;
            }
        }

        return quietFrom;
    }

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

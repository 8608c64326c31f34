namespace NaiveStrategy.Orleans;

/// <summary>A symbol's Leader as a grain call returns it.</summary>
[GenerateSerializer]
[Immutable]
public sealed record SymbolLeaderStatus
{
    /// <summary>The symbol.</summary>
    [Id(0)]
    public required string Symbol { get; init; }

    /// <summary>The silo that hosts the Leader now (its address).</summary>
    [Id(1)]
    public required string Silo { get; init; }

    /// <summary>Whether the symbol trades; <see cref="SymbolStatus.Off"/> before it ever started.</summary>
    [Id(2)]
    public SymbolStatus Status { get; init; }

    /// <summary>The settings new traders use; null before the symbol ever started.</summary>
    [Id(3)]
    public SymbolSettings? Settings { get; init; }

    /// <summary>The running traders.</summary>
    [Id(4)]
    public IReadOnlyList<TraderSnapshot> Traders { get; init; } = [];

    /// <summary>What the symbol's finished traders gained or lost.</summary>
    [Id(5)]
    public decimal RealizedPnl { get; init; }

    /// <summary>Whether the engine asked for trades and order updates (false while the exchange is unreachable at start).</summary>
    [Id(6)]
    public bool Ready { get; init; }

    /// <summary>Why the symbol cannot save its state, when it cannot (for example another activation took it over); null when it can.</summary>
    [Id(7)]
    public string? StoreError { get; init; }
}

namespace NaiveStrategy.Orleans;

/// <summary>
/// What grain storage holds for a symbol: the Leader's state (settings, status, traders, numbering, dust, PnL) and
/// the journal of order intents, each written before its order is sent. The journal keeps every intent whose order a
/// trader still has open, and the latest <see cref="NaiveStrategyOrleansOptions.JournalLength"/> others.
/// </summary>
[GenerateSerializer]
internal sealed record SymbolGrainState
{
    [Id(0)]
    public StoredSymbol? Symbol { get; init; }

    [Id(1)]
    public IReadOnlyList<OrderIntent> Intents { get; init; } = [];
}

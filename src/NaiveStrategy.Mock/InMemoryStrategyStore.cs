using System.Collections.Concurrent;

namespace NaiveStrategy.Mock;

/// <summary>
/// An <see cref="IStrategyStore"/> in memory, for tests: give the same instance to a second engine to
/// simulate a restart. It also keeps the journal, to check what was intended and what happened.
/// </summary>
public sealed class InMemoryStrategyStore : IStrategyStore
{
    private readonly ConcurrentDictionary<string, StrategySnapshot> _symbols = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OrderIntent> _intents = new();
    private readonly ConcurrentQueue<OrderUpdate> _updates = new();

    /// <summary>Every intent recorded, in order.</summary>
    public IReadOnlyList<OrderIntent> Intents => _intents.ToArray();

    /// <summary>Every order update recorded, in order.</summary>
    public IReadOnlyList<OrderUpdate> OrderUpdates => _updates.ToArray();

    /// <inheritdoc />
    public IReadOnlyList<StrategySnapshot> Load() => _symbols.Values.OrderBy(s => s.Settings.Symbol, StringComparer.Ordinal).ToArray();

    /// <inheritdoc />
    public void SaveSymbol(SymbolSnapshot symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        _symbols[symbol.Symbol] = StrategySnapshot.Of(symbol);
    }

    /// <inheritdoc />
    public void RecordIntent(OrderIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        lock (_intents)
        {
            if (!_intents.Any(i => i.Request == intent.Request))
            {
                _intents.Enqueue(intent);
            }
        }
    }

    /// <inheritdoc />
    public void RecordOrderUpdate(OrderUpdate update) => _updates.Enqueue(update ?? throw new ArgumentNullException(nameof(update)));
}

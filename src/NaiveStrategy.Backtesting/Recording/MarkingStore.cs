namespace NaiveStrategy.Backtesting.Recording;

/// <summary>
/// The engine's store, with a <see cref="RunMark"/> for each start, settings change, order intent and order update,
/// tied to the last trade the <see cref="TradeRecorder"/> saw for the symbol: what a parity report needs to put live
/// decisions on the recording's market time. A mark that cannot be written never fails the engine's own write.
/// </summary>
internal sealed class MarkingStore(IStrategyStore inner, IRunJournal journal, TradeRecorder recorder, TimeProvider time) : IStrategyStore
{
    private readonly Dictionary<string, SymbolSettings> _settings = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IReadOnlyList<StoredSymbol> Load() => inner.Load();

    public void SaveSymbol(LeaderState state)
    {
        inner.SaveSymbol(state);
        RunMarkKind? kind;
        lock (_gate)
        {
            // The start is marked once the exchange's filters are known (a replay needs them).
            kind = !_settings.TryGetValue(state.Symbol, out var known) ? (state.Filters is null ? null : RunMarkKind.Start) : known != state.Settings ? RunMarkKind.Settings : null;
            if (kind is not null)
            {
                _settings[state.Symbol] = state.Settings;
            }
        }

        if (kind is { } k)
        {
            Mark(Market(state.Symbol, k) with { Settings = state.Settings, Filters = state.Filters });
        }
    }

    public void RecordIntent(OrderIntent intent)
    {
        inner.RecordIntent(intent);
        Mark(Market(intent.Symbol, RunMarkKind.Intent) with { ClientOrderId = intent.Request.ClientOrderId });
    }

    public void RecordOrderUpdate(OrderUpdate update)
    {
        inner.RecordOrderUpdate(update);
        Mark(Market(update.Symbol, RunMarkKind.Update) with { ClientOrderId = update.ClientOrderId, Status = update.Status });
    }

    private RunMark Market(string symbol, RunMarkKind kind)
    {
        var last = recorder.LastTrade(symbol);
        return new RunMark(symbol, kind, time.GetUtcNow()) { TradeId = last?.TradeId, MarketTime = last?.Time, MarketPrice = last?.Price };
    }

    private void Mark(RunMark mark)
    {
        try
        {
            journal.RecordMark(mark);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The engine's own journal is written; a parity report without this mark says what it lacks.
            recorder.MarkFailed(ex.Message);
        }
    }
}

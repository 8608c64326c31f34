using System.Threading.Channels;

namespace NaiveStrategy.Backtesting.Recording;

/// <summary>
/// The engine's store, with a <see cref="RunMark"/> for each start, settings change, order intent and order update,
/// tied to the last trade the <see cref="TradeRecorder"/> saw for the symbol: what a parity report needs to put live
/// decisions on the recording's market time. Marks are queued and written in batches by one task, so the engine's own
/// writes (on its loop, before an order is sent) cost no more than without them; a mark that cannot be written (or
/// queued) never fails the engine, and is counted (<see cref="TradeRecorder.MarksLost"/>). A kill -9 loses the marks
/// still queued (milliseconds' worth).
/// </summary>
internal sealed class MarkingStore : IStrategyStore, IAsyncDisposable
{
    private readonly Dictionary<string, SymbolSettings> _settings = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly IStrategyStore _inner;
    private readonly IRunJournal _journal;
    private readonly TradeRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly Channel<RunMark> _queue = Channel.CreateBounded<RunMark>(new BoundedChannelOptions(65_536) { SingleReader = true });
    private readonly Task _writer;

    public MarkingStore(IStrategyStore inner, IRunJournal journal, TradeRecorder recorder, TimeProvider time)
    {
        (_inner, _journal, _recorder, _time) = (inner, journal, recorder, time);
        _writer = Task.Run(WriteAsync);
    }

    public IReadOnlyList<StrategySnapshot> Load() => _inner.Load();

    public void SaveSymbol(SymbolSnapshot state)
    {
        _inner.SaveSymbol(state);
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
        _inner.RecordIntent(intent);
        Mark(Market(intent.Symbol, RunMarkKind.Intent) with { ClientOrderId = intent.Request.ClientOrderId });
    }

    public void RecordOrderUpdate(OrderUpdate update)
    {
        _inner.RecordOrderUpdate(update);
        Mark(Market(update.Symbol, RunMarkKind.Update) with { ClientOrderId = update.ClientOrderId, Status = update.Status });
    }

    /// <summary>Writes the marks still queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private RunMark Market(string symbol, RunMarkKind kind)
    {
        var last = _recorder.LastTrade(symbol);
        return new RunMark(symbol, kind, _time.GetUtcNow()) { TradeId = last?.TradeId, MarketTime = last?.Time, MarketPrice = last?.Price };
    }

    private void Mark(RunMark mark)
    {
        if (!_queue.Writer.TryWrite(mark))
        {
            _recorder.MarkFailed("the queue of run marks is full");
        }
    }

    private async Task WriteAsync()
    {
        var batch = new List<RunMark>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 1024 && _queue.Reader.TryRead(out var mark))
            {
                batch.Add(mark);
            }

            try
            {
                _journal.RecordMarks(batch);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The engine's own journal is written; a parity report without these marks says what it lacks.
                _recorder.MarkFailed(ex.Message);
            }
        }
    }
}

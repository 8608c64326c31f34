using System.Threading.Channels;

namespace NaiveStrategy.Backtesting.Recording;

/// <summary>
/// The engine's store, with a <see cref="RunMark"/> for each start, settings change, order intent and order update,
/// tied to a trade the <see cref="TradeRecorder"/> received for the symbol: what a parity report needs to put live
/// decisions on the recording's market time. A BUY's intent is tied to the trade that decided it (the trader keeps its
/// time and price); every other mark to the last trade received when the engine took the input (an update, or the
/// trade that changed the state), read before the store writes, since trades keep arriving while it does. An update's
/// mark also keeps how the engine learned of it (answer, stream or query; reordered) and the exchange's time of it,
/// so a parity report can say why live heard of a fill late. Marks are
/// queued and written in batches by one task, so the engine's own writes (on its loop, before an order is sent) cost
/// no more than without them; a mark that cannot be written (or queued) never fails the engine, and is counted
/// (<see cref="TradeRecorder.MarksLost"/>). A kill -9 loses the marks still queued (milliseconds' worth).
/// </summary>
internal sealed class MarkingStore : IStrategyStore, IAsyncDisposable
{
    private readonly Dictionary<string, SymbolSettings> _settings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Input> _inputs = new(StringComparer.Ordinal);
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
        // Where the market was when the engine took this input: trades received while the store writes come after it.
        var at = _recorder.LastTrade(state.Symbol);
        _inner.SaveSymbol(state);
        RunMarkKind? kind;
        lock (_gate)
        {
            var input = _inputs.TryGetValue(state.Symbol, out var known) ? known : _inputs[state.Symbol] = new Input();
            if (input.FromUpdate)
            {
                input.FromUpdate = false; // the update that started this input holds its position
            }
            else
            {
                input.At = at;
            }

            // A BUY keeps the time and price of the trade that decided it: its mark names that trade.
            input.BuysDecided.Clear();
            foreach (var trader in state.Traders)
            {
                if (trader.BuyPlacedAt is { } placedAt)
                {
                    input.BuysDecided[trader.TraderId] = (placedAt, trader.BuyPlacedMarketPrice);
                }
            }

            // The start is marked once the exchange's filters are known (a replay needs them).
            kind = !_settings.TryGetValue(state.Symbol, out var settings) ? (state.Filters is null ? null : RunMarkKind.Start) : settings != state.Settings ? RunMarkKind.Settings : null;
            if (kind is not null)
            {
                _settings[state.Symbol] = state.Settings;
            }
        }

        if (kind is { } k)
        {
            Mark(Market(state.Symbol, k, at) with { Settings = state.Settings, Filters = state.Filters });
        }
    }

    public void RecordIntent(OrderIntent intent)
    {
        _inner.RecordIntent(intent);
        TradeEvent? decided;
        lock (_gate)
        {
            var input = _inputs.GetValueOrDefault(intent.Symbol);
            decided = input is null ? null
                : intent.Request.Side == OrderSide.Buy && input.BuysDecided.TryGetValue(intent.TraderId, out var buy) ? _recorder.Received(intent.Symbol, buy.Time, buy.Price) ?? input.At
                : input.At;
        }

        Mark(Market(intent.Symbol, RunMarkKind.Intent, decided ?? _recorder.LastTrade(intent.Symbol)) with { ClientOrderId = intent.Request.ClientOrderId });
    }

    public void RecordOrderUpdate(OrderUpdate update)
    {
        var at = _recorder.LastTrade(update.Symbol);
        lock (_gate)
        {
            var input = _inputs.TryGetValue(update.Symbol, out var known) ? known : _inputs[update.Symbol] = new Input();
            (input.At, input.FromUpdate) = (at, true);
        }

        _inner.RecordOrderUpdate(update);
        Mark(Market(update.Symbol, RunMarkKind.Update, at) with
        {
            ClientOrderId = update.ClientOrderId,
            Status = update.Status,
            Source = update.Source,
            Reordered = update.Reordered,
            ExchangeTime = update.Time,
        });
    }

    /// <summary>Writes the marks still queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private RunMark Market(string symbol, RunMarkKind kind, TradeEvent? last) =>
        new RunMark(symbol, kind, _time.GetUtcNow()) { TradeId = last?.TradeId, MarketTime = last?.Time, MarketPrice = last?.Price };

    private void Mark(RunMark mark)
    {
        if (!_queue.Writer.TryWrite(mark))
        {
            _recorder.MarkFailed("the queue of run marks is full");
        }
    }

    // What the store saw of the input the engine is taking for a symbol (each symbol's calls come from its own loop).
    private sealed class Input
    {
        public TradeEvent? At { get; set; }

        public bool FromUpdate { get; set; }

        public Dictionary<string, (DateTimeOffset Time, decimal Price)> BuysDecided { get; } = new(StringComparer.Ordinal);
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

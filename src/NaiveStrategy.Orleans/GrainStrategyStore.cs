using Orleans.Storage;

namespace NaiveStrategy.Orleans;

/// <summary>
/// The engine's <see cref="IStrategyStore"/> for one symbol, written through Orleans grain storage. The engine calls it
/// on the symbol's loop and sends an order only after it returns, so each write completes (the storage acknowledged
/// it) before the call returns: the same write-ahead rule as the SQLite store. Writes carry the ETag of the last read
/// or write: once another activation of the symbol has written (the cluster moved the symbol while this one still
/// ran), the storage refuses, the store is fenced, and this activation never sends anything again.
/// A failed write changes nothing (the state it would have written is dropped with the input).
/// </summary>
internal sealed class GrainStrategyStore : IStrategyStore
{
    private readonly IGrainStorage _storage;
    private readonly string _stateName;
    private readonly GrainId _grainId;
    private readonly int _journalLength;
    private readonly TimeSpan _timeout;
    private readonly Lock _gate = new();
    private SymbolGrainState _state;
    private string? _etag;
    private bool _recordExists;
    private string? _fenced;

    private GrainStrategyStore(IGrainStorage storage, string stateName, GrainId grainId, GrainState<SymbolStateDocument> read, NaiveStrategyOrleansOptions options)
    {
        _storage = storage;
        _stateName = stateName;
        _grainId = grainId;
        _journalLength = options.JournalLength;
        _timeout = options.StorageTimeout;
        _state = read.State?.Read(grainId.Key.ToString()!) ?? new SymbolGrainState();
        _etag = read.ETag;
        _recordExists = read.RecordExists;
    }

    /// <summary>The state as last written (or read).</summary>
    public SymbolGrainState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Why the store refuses to write, once another activation took the symbol over; null until then.</summary>
    public string? Fenced => Volatile.Read(ref _fenced);

    /// <summary>Reads the symbol's state from grain storage.</summary>
    public static async Task<GrainStrategyStore> ReadAsync(IGrainStorage storage, string stateName, GrainId grainId, NaiveStrategyOrleansOptions options, CancellationToken cancellationToken)
    {
        var read = new GrainState<SymbolStateDocument>(new SymbolStateDocument());
        await storage.ReadStateAsync(stateName, grainId, read, cancellationToken);
        return new GrainStrategyStore(storage, stateName, grainId, read, options);
    }

    public IReadOnlyList<StrategySnapshot> Load() => State.Symbol is { } saved ? [saved] : [];

    public void SaveSymbol(SymbolSnapshot symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        var saved = StrategySnapshot.Of(symbol);
        Write(current => current with { Symbol = saved, Intents = TrimIntents(current.Intents, saved) });
    }

    public void RecordIntent(OrderIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        // A resend after a restart is recorded already.
        Write(current => current.Intents.Any(i => i.Request == intent.Request) ? null : current with { Intents = [.. current.Intents, intent] });
    }

    // Order updates are applied to the traders' state, which is saved; the journal of updates stays in the logs.
    public void RecordOrderUpdate(OrderUpdate update) => ArgumentNullException.ThrowIfNull(update);

    // change: the state to write, or null when there is nothing to write.
    private void Write(Func<SymbolGrainState, SymbolGrainState?> change)
    {
        lock (_gate)
        {
            if (_fenced is not null)
            {
                throw new InvalidOperationException(_fenced);
            }

            if (change(_state) is not { } next)
            {
                return;
            }

            var write = new GrainState<SymbolStateDocument>(SymbolStateDocument.Of(next)) { ETag = _etag, RecordExists = _recordExists };
            try
            {
                // The engine's loop waits: nothing is sent before the state that names it is durable.
                _storage.WriteStateAsync(_stateName, _grainId, write).WaitAsync(_timeout).GetAwaiter().GetResult();
            }
            catch (InconsistentStateException ex)
            {
                _fenced = $"Symbol {_grainId.Key} was taken over by another activation (its saved state changed under this one: {ex.Message}); this activation sends nothing more.";
                throw new InvalidOperationException(_fenced, ex);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"Grain storage '{_stateName}' did not save {_grainId.Key} within {_timeout}.", ex);
            }

            _state = next;
            _etag = write.ETag;
            _recordExists = true;
        }
    }

    // The intents of orders a trader still holds open always stay; of the others, the newest JournalLength.
    private IReadOnlyList<OrderIntent> TrimIntents(IReadOnlyList<OrderIntent> intents, StrategySnapshot saved)
    {
        var closed = intents.Count - saved.Traders.Count(t => t.OpenOrder is not null);
        if (closed <= _journalLength)
        {
            return intents;
        }

        var open = saved.Traders.Where(t => t.OpenOrder is not null).Select(t => t.OpenOrder!.ClientOrderId).ToHashSet(StringComparer.Ordinal);
        var drop = intents.Count(i => !open.Contains(i.Request.ClientOrderId)) - _journalLength;
        var kept = new List<OrderIntent>(intents.Count - Math.Max(0, drop));
        foreach (var intent in intents)
        {
            if (drop > 0 && !open.Contains(intent.Request.ClientOrderId))
            {
                drop--;
                continue;
            }

            kept.Add(intent);
        }

        return kept;
    }
}

using NaiveStrategy.Mock;

namespace NaiveStrategy.Backtesting;

/// <summary>
/// Replays market trades through the real engine against an <see cref="InMemoryExchange"/> on the
/// caller's thread (the exchange is synchronous) and keeps the figures of a report: the same Trader
/// and Leader code runs as in live trading; only the exchange differs. Equity is marked at every
/// trade without allocating; orders and fills are tracked from the exchange's order updates.
/// A session limited to one symbol replays only that symbol's trades out of a mixed stream, so several
/// symbols' sessions (each with its own engine and exchange) can replay the same batches in parallel;
/// <see cref="BacktestResult.Combine"/> joins their results.
/// </summary>
public sealed class BacktestSession : IDisposable
{
    private readonly NaiveStrategyEngine _engine;
    private readonly InMemoryExchange _exchange;
    private readonly TimeSpan? _equitySampling;
    private readonly string? _only;
    private readonly Dictionary<string, SymbolTrack> _tracks = new(StringComparer.Ordinal);
    private readonly OrderJournal _journal = new();
    private readonly List<IDisposable> _subscriptions = [];
    private SymbolTrack? _last;
    private string? _lastSymbol;
    private string? _lastSkipped;
    private long _given;

    /// <summary>Creates a session over an engine and the in-memory exchange it trades on.</summary>
    /// <param name="engine">The engine; its configured symbols are started by <see cref="StartAsync"/>.</param>
    /// <param name="exchange">The exchange the engine trades on.</param>
    /// <param name="equitySampling">When set, an equity curve point is kept every such interval of market time.</param>
    /// <param name="symbol">
    /// When set, the session replays only this symbol's trades and reports only this symbol; the trades of
    /// other symbols it is given are skipped but counted, so its journal's <see cref="JournalEntry.AtTrade"/>
    /// numbers the same trades as a session given the same stream without a symbol. The engine and the
    /// exchange should trade this symbol only (one engine and exchange per symbol).
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is not listed by <paramref name="exchange"/>, or the exchange forgets finished orders (<see cref="InMemoryExchangeOptions.FinishedOrdersKept"/>).</exception>
    public BacktestSession(NaiveStrategyEngine engine, InMemoryExchange exchange, TimeSpan? equitySampling = null, string? symbol = null)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _exchange = exchange ?? throw new ArgumentNullException(nameof(exchange));
        if (exchange.FinishedOrdersKept is { } kept)
        {
            throw new ArgumentException($"The exchange forgets finished orders beyond {kept} (InMemoryExchangeOptions.FinishedOrdersKept): a backtest's journal needs every order; leave it unset.", nameof(exchange));
        }

        if (equitySampling is { } s && s <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(equitySampling), s, "The equity sampling interval must be > 0.");
        }

        if (symbol is not null && exchange.FindSymbol(symbol) is null)
        {
            throw new ArgumentException($"The session's symbol '{symbol}' is not listed by the in-memory exchange.", nameof(symbol));
        }

        _equitySampling = equitySampling;
        _only = symbol;
    }

    /// <summary>Market trades replayed so far (of the session's symbol only, when it has one).</summary>
    public long TradesReplayed { get; private set; }

    /// <summary>Subscribes to the engine and the exchange, then starts the engine's configured symbols.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _subscriptions.Add(_engine.Events.Subscribe(OnEvent));
        _subscriptions.Add(_exchange.OrderUpdates.Subscribe(OnOrderUpdate));
        await _engine.StartAsync(cancellationToken);
    }

    /// <summary>
    /// One market trade: the exchange matches, the strategy reacts, equity is marked (a trade of another symbol
    /// than the session's is only counted). Allocates nothing when no order is placed or filled.
    /// </summary>
    /// <exception cref="BacktestOverflowException">The trade's values make the backtest's decimal arithmetic overflow.</exception>
    public void Replay(in TradeEvent trade)
    {
        _given++;

        // Readers hand out one symbol string per file: compare references, hash only when it changes.
        if (!ReferenceEquals(trade.Symbol, _lastSymbol) || _last is null)
        {
            if (_only is not null && !IsOwn(trade.Symbol))
            {
                return;
            }

            _last = TrackOf(trade.Symbol);
            _lastSymbol = trade.Symbol;
        }

        var track = _last;
        try
        {
            _exchange.PublishTrade(trade);
            TradesReplayed++;
            track.Mark(trade, _equitySampling);
        }
        catch (OverflowException ex)
        {
            // Prices and budgets each in range can still overflow together (a position bought at a tiny price
            // marked at a huge one): say which trade did it instead of crashing with a stack trace.
            throw BacktestOverflowException.At(trade, ex);
        }
    }

    /// <summary>Replays trades in order.</summary>
    public void Replay(ReadOnlySpan<TradeEvent> trades)
    {
        foreach (ref readonly var trade in trades)
        {
            Replay(trade);
        }
    }

    /// <summary>
    /// Replays the trades of <paramref name="index"/> in order, jumping over the ones that would change nothing:
    /// after each trade it replays, the session asks the engine for its quiet band and next deadline
    /// (<see cref="NaiveStrategyEngine.GetQuietBand"/>), narrows it to the prices where the exchange's open orders
    /// cross nothing (<see cref="InMemoryExchange.GetBestBidAsk"/>) (and to the next equity sample's time), and jumps
    /// to the first trade outside it (<see cref="TradeIndex.FindExit"/>). The trades jumped over are counted and marked
    /// as the full replay would mark them (count, times, last price, equity, and the equity's peak and drawdown from
    /// the index's summary of their prices; where that equity could be rounded, the jump instead stops before a new
    /// peak or drawdown), so the result is the same to the byte as
    /// <see cref="Replay(ReadOnlySpan{TradeEvent})"/>'s; the engine decides every trade it sees.
    /// </summary>
    /// <exception cref="BacktestOverflowException">A trade's values make the backtest's decimal arithmetic overflow.</exception>
    public void Replay(TradeIndex index) => Replay(index, 0, index?.Count ?? 0);

    /// <summary>
    /// Replays <paramref name="count"/> trades of <paramref name="index"/> from <paramref name="start"/>, jumping over
    /// the quiet ones as <see cref="Replay(TradeIndex)"/> does: one index over a long history serves sessions that
    /// each replay a window of it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within the index.</exception>
    /// <exception cref="BacktestOverflowException">A trade's values make the backtest's decimal arithmetic overflow.</exception>
    public void Replay(TradeIndex index, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, index.Count - count);
        var end = start + count;
        var i = start;
        while (i < end)
        {
            var trade = index.TradeAt(i);
            Replay(trade);
            i++;
            if (i < end && QuietBand(trade, index.PriceBound) is var (low, high, until, marks) && low <= high)
            {
                var exit = Math.Min(end, index.FindExit(i, trade.Symbol, low, high, until));
                if (exit > i)
                {
                    Skip(index, i, exit, marks);
                    i = exit;
                }
            }
        }
    }

    /// <summary>Trades jumped over by <see cref="Replay(TradeIndex)"/> (included in <see cref="TradesReplayed"/>).</summary>
    public long TradesSkipped { get; private set; }

    /// <summary>Jumps made by <see cref="Replay(TradeIndex)"/>: runs of trades skipped at once.</summary>
    public long Jumps { get; private set; }

    // Whether a jump may cross new equity peaks and drawdowns, marking them from the index's PriceSpan when the
    // equity is computed exactly; off, the jump stops at them (the equity band), as before PriceSpan. Tests compare.
    internal bool MarksOverJumps { get; set; } = true;

    // The prices and the time limit within which the trades after the one just replayed change nothing: not the
    // engine (its quiet band), not the exchange (no open order crossed), not the report (no equity sample due, and
    // equity within its peak and drawdown unless Marks: the jump's PriceSpan marks them exactly). Null when the next
    // trade must be replayed.
    private (decimal Low, decimal High, long Until, bool Marks)? QuietBand(in TradeEvent trade, decimal? priceBound)
    {
        var track = _last;
        if (track is null || !ReferenceEquals(trade.Symbol, _lastSymbol) || (_only is not null && !string.Equals(trade.Symbol, _only, StringComparison.Ordinal)))
        {
            return null;
        }

        if (_engine.GetQuietBand(trade.Symbol) is not { } engine)
        {
            return null;
        }

        var (bid, ask) = _exchange.GetBestBidAsk(trade.Symbol);
        var low = Math.Max(engine.Low, bid);
        var high = Math.Min(engine.High, ask);
        var until = engine.Until?.UtcTicks ?? long.MaxValue;
        if (_equitySampling is { } sampling)
        {
            until = Math.Min(until, track.NextSampleTicks(sampling));
        }

        if (low > trade.Price || high < trade.Price)
        {
            return null;
        }

        if (MarksOverJumps && track.MarksExactly(priceBound))
        {
            return (low, high, until, true);
        }

        return track.EquityBand(ref low, ref high) ? (low, high, until, false) : null;
    }

    // Trades of the last replayed symbol that the engine and the exchange would handle as no-ops: counted and marked
    // without them (equity's peak and drawdown from the run's PriceSpan when marked, else the run left them alone).
    private void Skip(TradeIndex index, int from, int to, bool marks)
    {
        var last = index.TradeAt(to - 1);
        var count = to - from;
        _given += count;
        TradesReplayed += count;
        TradesSkipped += count;
        Jumps++;
        try
        {
            _exchange.Clock.AdvanceTo(last.Time);
            if (marks)
            {
                _last!.SkipSpan(index, index.Summarize(from, to));
            }

            _last!.Skip(count, last);
        }
        catch (OverflowException ex)
        {
            throw BacktestOverflowException.At(last, ex);
        }
    }

    /// <summary>Stops listening and computes the result.</summary>
    public BacktestResult Complete()
    {
        Dispose();
        var journal = _journal.Build(_exchange.Orders, _given);
        var reports = new List<SymbolReport>();
        var curves = new SortedDictionary<string, IReadOnlyList<EquityPoint>>(StringComparer.Ordinal);
        foreach (var symbol in _only is not null ? [_only] : (IEnumerable<string>)_engine.Symbols.Union(_tracks.Keys).Order(StringComparer.Ordinal))
        {
            var filters = _exchange.FindSymbol(symbol)
                ?? throw new InvalidOperationException($"The trades replayed include {symbol}, which the in-memory exchange does not list.");

            var track = TrackOf(symbol);
            // A refused placement never became an exchange order: the counters count it apart (PlacementsRejected).
            var orders = journal.Where(j => j.Order.Symbol == symbol && j.Error is null).Select(j => j.Order).ToArray();
            try
            {
                reports.Add(Report(filters, orders, track));
            }
            catch (OverflowException ex)
            {
                throw new BacktestOverflowException($"{symbol}: the report's figures overflow decimal arithmetic; the prices, quantities and budget are too far apart for one run", ex);
            }

            if (track.Curve is { } curve)
            {
                curves[symbol] = curve;
            }
        }

        return new BacktestResult(reports, journal, curves) { FillModel = _exchange.PartialFills ? FillModel.Partial : FillModel.Full };
    }

    // Whether a trade of a symbol other than the last replayed one is the session's (a limited session only):
    // the last skipped symbol is remembered by reference, as the replayed one is.
    private bool IsOwn(string symbol)
    {
        if (ReferenceEquals(symbol, _lastSkipped))
        {
            return false;
        }

        if (string.Equals(symbol, _only, StringComparison.Ordinal))
        {
            return true;
        }

        _lastSkipped = symbol;
        return false;
    }

    // Every figure is computed by BacktestStatistics; the session only gathers what it needs: the fills of the
    // symbol's orders (the in-memory exchange answers synchronously) and what the running traders hold.
    private SymbolReport Report(SymbolFilters filters, OrderUpdate[] orders, SymbolTrack track)
    {
        var fills = new List<OrderFill>(orders.Length);
        foreach (var order in orders)
        {
            if (order.ExecutedQuantity == 0)
            {
                continue;
            }

            var pending = _exchange.GetOrderFillsAsync(order.Symbol, order.OrderId);
            if (!pending.IsCompleted)
            {
                throw new InvalidOperationException("The in-memory exchange answers synchronously.");
            }

            var answer = pending.Result;
            if (answer.IsSuccess)
            {
                fills.AddRange(answer.Value);
            }
        }

        var held = _engine.GetState(filters.Symbol)?.Traders.Sum(t => t.HeldQuantity()) ?? 0m;
        return BacktestStatistics.Report(filters, orders, fills, track, held);
    }

    /// <summary>Stops listening to the engine and the exchange.</summary>
    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
    }

    private SymbolTrack TrackOf(string symbol)
    {
        if (!_tracks.TryGetValue(symbol, out var track))
        {
            var budget = _engine.GetState(symbol)?.Settings.Budget ?? 0m;
            track = new SymbolTrack(symbol, budget, _exchange.FindSymbol(symbol)?.BaseAsset ?? "");
            _tracks[symbol] = track;
        }

        return track;
    }

    private void OnEvent(StrategyEvent e)
    {
        TrackOf(e.Symbol).Counters.Count(e);
        _journal.Record(e, _given);
    }

    private void OnOrderUpdate(OrderUpdate update) => TrackOf(update.Symbol).Apply(update);
}

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
    private readonly Dictionary<string, Track> _tracks = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Symbol, long OrderId), (decimal Executed, decimal Commission, decimal Quote)> _fills = [];
    private readonly Dictionary<string, (string TraderId, OrderRequest Request, long AtTrade)> _placed = new(StringComparer.Ordinal);
    private readonly List<string> _placementOrder = [];
    private readonly Dictionary<string, JournalEntry> _rejected = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];
    private Track? _last;
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
    /// cross nothing (<see cref="InMemoryExchange.GetBestBidAsk"/>) and where the equity's peak and drawdown
    /// cannot move (and to the next equity sample's time), and jumps to the first trade outside it
    /// (<see cref="TradeIndex.FindExit"/>). The trades jumped over are counted and marked as the full replay would
    /// mark them (count, times, last price, equity), so the result is the same to the byte as
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
        var trades = index.Trades.Span[..(start + count)];
        var i = start;
        while (i < trades.Length)
        {
            ref readonly var trade = ref trades[i];
            Replay(trade);
            i++;
            if (i < trades.Length && QuietBand(trade) is var (low, high, until) && low <= high)
            {
                var exit = Math.Min(trades.Length, index.FindExit(i, trade.Symbol, low, high, until));
                if (exit > i)
                {
                    Skip(trades[i..exit]);
                    i = exit;
                }
            }
        }
    }

    /// <summary>Trades jumped over by <see cref="Replay(TradeIndex)"/> (included in <see cref="TradesReplayed"/>).</summary>
    public long TradesSkipped { get; private set; }

    /// <summary>Jumps made by <see cref="Replay(TradeIndex)"/>: runs of trades skipped at once.</summary>
    public long Jumps { get; private set; }

    // The prices and the time limit within which the trades after the one just replayed change nothing: not the
    // engine (its quiet band), not the exchange (no open order crossed), not the report (equity within its peak
    // and drawdown, no equity sample due). Null when the next trade must be replayed.
    private (decimal Low, decimal High, long Until)? QuietBand(in TradeEvent trade)
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

        if (low > trade.Price || high < trade.Price || !track.EquityBand(ref low, ref high))
        {
            return null;
        }

        return (low, high, until);
    }

    // Trades of the last replayed symbol that change nothing: counted and marked without the engine or the exchange.
    private void Skip(ReadOnlySpan<TradeEvent> trades)
    {
        ref readonly var last = ref trades[^1];
        _given += trades.Length;
        TradesReplayed += trades.Length;
        TradesSkipped += trades.Length;
        Jumps++;
        try
        {
            _exchange.Clock.AdvanceTo(last.Time);
            _last!.Skip(trades.Length, last);
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
        var journal = Journal();
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

    // The exchange's orders at their final state and the placements it refused, in placement order.
    private JournalEntry[] Journal()
    {
        var accepted = _exchange.Orders;
        var byClientId = new Dictionary<string, OrderUpdate>(accepted.Count, StringComparer.Ordinal);
        foreach (var order in accepted)
        {
            byClientId[order.ClientOrderId] = order;
        }

        var journal = new List<JournalEntry>(accepted.Count + _rejected.Count);
        foreach (var clientOrderId in _placementOrder)
        {
            if (byClientId.Remove(clientOrderId, out var order))
            {
                var placed = _placed[clientOrderId];
                journal.Add(new JournalEntry(order, placed.TraderId) { AtTrade = placed.AtTrade });
            }
            else if (_rejected.TryGetValue(clientOrderId, out var rejected))
            {
                journal.Add(rejected);
            }
        }

        // Orders the engine did not announce (none in a backtest), in the exchange's order.
        journal.AddRange(accepted.Where(o => byClientId.ContainsKey(o.ClientOrderId)).Select(o => new JournalEntry(o, "") { AtTrade = _given }));
        return [.. journal];
    }

    private SymbolReport Report(SymbolFilters filters, OrderUpdate[] orders, Track track)
    {
        var report = BacktestReport.FromJournal(filters, orders, track.Counters, track.Budget);
        var (makerFills, takerFills, makerFees, takerFees) = FillSides(filters, orders);

        // What the running traders hold is theirs; the rest of the position is the symbol's dust.
        var held = _engine.GetState(filters.Symbol)?.Traders.Sum(t => t.HeldQuantity()) ?? 0m;
        return report with
        {
            Dust = report.OpenPosition - held,
            MakerFills = makerFills,
            TakerFills = takerFills,
            MakerFees = makerFees,
            TakerFees = takerFees,
            StepSize = filters.StepSize,
            Refusal = track.Counters.Refusal,
            FundsWaits = track.Counters.FundsWaits,
            Guards = track.Counters.Guards.Count > 0 ? [.. track.Counters.Guards] : null,
            TradesReplayed = track.Count,
            From = track.Count > 0 ? track.FirstTime : null,
            To = track.Count > 0 ? track.LastTime : null,
            FirstPrice = track.FirstPrice,
            LastPrice = track.LastPrice,
            UnrealizedPnl = BacktestReport.Unrealized(filters, orders, track.LastPrice),
            TotalPnl = track.Equity - track.Budget,
            MaxDrawdown = track.MaxDrawdown,
            MaxDrawdownFraction = track.MaxDrawdownFraction,
            BuyAndHoldReturn = track.FirstPrice > 0 ? Math.Round((track.LastPrice / track.FirstPrice) - 1, 8) : 0m,
            StrategyReturn = track.Budget > 0 ? Math.Round((track.Equity - track.Budget) / track.Budget, 8) : 0m,
        };
    }

    // Maker and taker fills and their fees (valued in quote; base-asset fees at their fill price), from the exchange's
    // fills of the symbol's orders. The in-memory exchange answers synchronously.
    private (int MakerFills, int TakerFills, decimal MakerFees, decimal TakerFees) FillSides(SymbolFilters filters, OrderUpdate[] orders)
    {
        int makerFills = 0, takerFills = 0;
        decimal makerFees = 0, takerFees = 0;
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

            var fills = pending.Result;
            foreach (var fill in fills.IsSuccess ? fills.Value : [])
            {
                var fee = fill.CommissionAsset == filters.BaseAsset ? fill.Commission * fill.Price : fill.Commission;
                if (fill.IsMaker)
                {
                    (makerFills, makerFees) = (makerFills + 1, makerFees + fee);
                }
                else
                {
                    (takerFills, takerFees) = (takerFills + 1, takerFees + fee);
                }
            }
        }

        return (makerFills, takerFills, Math.Round(makerFees, 8), Math.Round(takerFees, 8));
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

    private Track TrackOf(string symbol)
    {
        if (!_tracks.TryGetValue(symbol, out var track))
        {
            var budget = _engine.GetState(symbol)?.Settings.Budget ?? 0m;
            track = new Track(symbol, budget, _exchange.FindSymbol(symbol)?.BaseAsset ?? "");
            _tracks[symbol] = track;
        }

        return track;
    }

    private void OnEvent(StrategyEvent e)
    {
        var c = TrackOf(e.Symbol).Counters;
        switch (e.Event)
        {
            case OrderPlaced p:
                if (_placed.TryAdd(p.Request.ClientOrderId, (p.TraderId, p.Request, _given)))
                {
                    _placementOrder.Add(p.Request.ClientOrderId);
                }

                break;
            case TraderStarted:
                c.TradersStarted++;
                c.Running++;
                c.MaxConcurrentTraders = Math.Max(c.MaxConcurrentTraders, c.Running);
                break;
            case TraderCrashed:
                c.TradersCrashed++;
                break;
            case TraderFinished f:
                c.Running--;
                c.CyclesCompleted += f.Outcome == TraderOutcome.Completed ? 1 : 0;
                break;
            case OrderNotSent:
                c.OrdersNotSent++;
                break;
            case OrderRejected r:
                c.PlacementsRejected++;
                if (_placed.TryGetValue(r.ClientOrderId, out var placed))
                {
                    // Nothing executed and the exchange gave it no id; the time is the market time of the refusal.
                    var q = placed.Request;
                    _rejected[r.ClientOrderId] = new JournalEntry(new OrderUpdate(q.Symbol, q.ClientOrderId, 0, q.Side, q.Price, q.Quantity, 0m, OrderStatus.Rejected, 0m, null, e.Time), placed.TraderId) { Error = r.Error, AtTrade = placed.AtTrade };
                }

                break;
            case SymbolStopped:
                c.Running = 0;
                break;
            case SettingsRefused refused:
                c.Refusal ??= refused.Message;
                break;
            case GuardTriggered fired:
                c.Guards.Add(new GuardFiring(fired.Time, fired.Guard, fired.Action, fired.Price, fired.Figure, fired.Threshold));
                break;
            case GuardExitFilled exit when c.Guards.Count > 0:
                c.Guards[^1] = c.Guards[^1] with { Sold = c.Guards[^1].Sold + exit.Sold, Proceeds = c.Guards[^1].Proceeds + exit.Proceeds };
                break;
            case GuardExitNotSent notSent when c.Guards.Count > 0:
                c.Guards[^1] = c.Guards[^1] with { ExitProblem = notSent.Message };
                break;
            case WaitingForFunds:
                c.FundsWaits++;
                break;
        }
    }

    // Cash and position move by what each update adds to the order's cumulative fill and commission.
    private void OnOrderUpdate(OrderUpdate update)
    {
        var key = (update.Symbol, update.OrderId);
        var before = _fills.GetValueOrDefault(key);
        var quantity = update.ExecutedQuantity - before.Executed;
        var commission = update.Commission - before.Commission;
        if (quantity == 0 && commission == 0)
        {
            return;
        }

        _fills[key] = (update.ExecutedQuantity, update.Commission, update.QuoteQuantity ?? 0m);
        var track = TrackOf(update.Symbol);
        track.FillVersion++;
        var notional = update.QuoteQuantity is { } quote ? quote - before.Quote : quantity * update.Price;
        var baseFee = update.CommissionAsset == track.BaseAsset ? commission : 0m;
        var quoteFee = commission - baseFee;
        if (update.Side == OrderSide.Buy)
        {
            track.Cash -= notional + quoteFee;
            track.Position += quantity - baseFee;
        }
        else
        {
            track.Cash += notional - quoteFee;
            track.Position -= quantity + baseFee;
        }
    }

    private sealed class Track(string symbol, decimal budget, string baseAsset)
    {
        public string Symbol { get; } = symbol;

        public decimal Budget { get; } = budget;

        public string BaseAsset { get; } = baseAsset;

        public SymbolCounters Counters { get; } = new();

        public long Count { get; private set; }

        public decimal FirstPrice { get; private set; }

        public decimal LastPrice { get; private set; }

        public DateTimeOffset FirstTime { get; private set; }

        public DateTimeOffset LastTime { get; private set; }

        public decimal Cash { get; set; }

        public decimal Position { get; set; }

        public long FillVersion { get; set; }

        public decimal Equity { get; private set; } = budget;

        public decimal MaxDrawdown { get; private set; }

        public decimal MaxDrawdownFraction { get; private set; }

        public List<EquityPoint>? Curve { get; private set; }

        private decimal _peak = budget;
        private long _markedVersion;
        private long _bucket = long.MinValue;

        public void Mark(in TradeEvent trade, TimeSpan? sampling)
        {
            if (Count++ == 0)
            {
                FirstPrice = trade.Price;
                FirstTime = trade.Time;
            }

            LastTime = trade.Time;
            if (trade.Price == LastPrice && FillVersion == _markedVersion && Count > 1)
            {
                // Same price, no fill since the last mark: equity, peak and drawdown cannot have changed.
                Sample(trade, sampling);
                return;
            }

            LastPrice = trade.Price;
            _markedVersion = FillVersion;
            Equity = Budget + Cash + (Position * trade.Price);
            if (Equity > _peak)
            {
                _peak = Equity;
            }
            else if (_peak - Equity > MaxDrawdown)
            {
                MaxDrawdown = _peak - Equity;
                MaxDrawdownFraction = _peak > 0 ? Math.Round(MaxDrawdown / _peak, 8) : 0m;
            }

            Sample(trade, sampling);
        }

        // The first time of the next equity sample: trades before it add no point to the curve.
        public long NextSampleTicks(TimeSpan sampling) => _bucket == long.MinValue ? long.MinValue : (_bucket + 1) * sampling.Ticks;

        /// <summary>
        /// Narrows [low, high] to prices at which marking changes neither the equity's peak nor its drawdown
        /// (equity is monotonic in the price while the holdings stay): false when no skip is safe.
        /// </summary>
        public bool EquityBand(ref decimal low, ref decimal high)
        {
            if (FillVersion != _markedVersion || Position < 0)
            {
                return false;
            }

            if (Position == 0)
            {
                return true;
            }

            try
            {
                // The largest price keeping equity <= peak and the smallest keeping peak - equity <= drawdown, each
                // checked with the very expression Mark uses: a quotient rounded the wrong way is pulled inward.
                var top = (_peak - Budget - Cash) / Position;
                var bottom = (_peak - MaxDrawdown - Budget - Cash) / Position;
                for (var tries = 0; EquityAt(top) > _peak; tries++)
                {
                    if (tries == 4)
                    {
                        return false;
                    }

                    top -= Hair(top);
                }

                for (var tries = 0; _peak - EquityAt(bottom) > MaxDrawdown; tries++)
                {
                    if (tries == 4)
                    {
                        return false;
                    }

                    bottom += Hair(bottom);
                }

                high = Math.Min(high, top);
                low = Math.Max(low, bottom);
                return low <= LastPrice && LastPrice <= high;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        /// <summary>Trades that crossed nothing and changed nothing: counted, the last one marked (same holdings).</summary>
        public void Skip(int count, in TradeEvent last)
        {
            Count += count;
            LastTime = last.Time;
            if (last.Price != LastPrice)
            {
                LastPrice = last.Price;
                Equity = EquityAt(last.Price);
            }
        }

        private static decimal Hair(decimal price) => Math.Max(Math.Abs(price) * 0.000000000001m, 0.0000000000000000000001m);

        private decimal EquityAt(decimal price) => Budget + Cash + (Position * price);

        private void Sample(in TradeEvent trade, TimeSpan? sampling)
        {
            if (sampling is { } interval)
            {
                var bucket = trade.Time.UtcTicks / interval.Ticks;
                if (bucket != _bucket)
                {
                    _bucket = bucket;
                    (Curve ??= []).Add(new EquityPoint(trade.Time, trade.Price, Equity));
                }
            }
        }
    }
}

/// <summary>Counts kept from the engine's events during a backtest.</summary>
internal sealed class SymbolCounters
{
    /// <summary>Traders started.</summary>
    public int TradersStarted { get; set; }

    /// <summary>Traders running now.</summary>
    public int Running { get; set; }

    /// <summary>Most traders running at once.</summary>
    public int MaxConcurrentTraders { get; set; }

    /// <summary>Completed cycles.</summary>
    public int CyclesCompleted { get; set; }

    /// <summary>Orders not sent because they broke a filter.</summary>
    public int OrdersNotSent { get; set; }

    /// <summary>Orders the exchange refused (never accepted, so not in its order list).</summary>
    public int PlacementsRejected { get; set; }

    /// <summary>Times a trader threw while handling an input (the engine restored it and dropped the input).</summary>
    public int TradersCrashed { get; set; }

    /// <summary>Times the symbol began to wait for funds.</summary>
    public int FundsWaits { get; set; }

    /// <summary>Why the settings were refused (<see cref="SettingsRefused"/>), or null.</summary>
    public string? Refusal { get; set; }

    /// <summary>The risk guards that fired, in order, with what their exits sold.</summary>
    public List<GuardFiring> Guards { get; } = [];
}

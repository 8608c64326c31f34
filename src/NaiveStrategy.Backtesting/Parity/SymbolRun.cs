using System.Globalization;
using Microsoft.Extensions.Options;
using NaiveStrategy.Backtesting.Recording;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Backtesting.Parity;

/// <summary>One symbol of a parity report: its recorded trades, its live orders and marks, the replay, the comparison.</summary>
internal sealed class SymbolRun
{
    private const int EquityPoints = 500;
    private const string BetweenRuns = "between runs";

    private readonly string _symbol;
    private readonly List<TradeEvent> _trades;
    private readonly long[] _ids;
    private readonly ParityOptions _options;
    private readonly RunMark[] _marks;
    private readonly SymbolSettings _settings;
    private readonly SymbolFilters _filters;
    private readonly List<LiveOrder> _live = [];
    private readonly List<(long From, long To)> _downtimes = [];
    private readonly List<(long From, long To)> _reconciled = [];
    private readonly List<(int Index, long After, long Before, string Reason)> _gaps = [];
    private readonly RecordedGap[] _recordedGaps;

    public SymbolRun(string symbol, List<TradeEvent> trades, ParityJournal journal, ParityOptions options)
    {
        _symbol = symbol;
        _trades = trades;
        _ids = trades.Select(t => t.TradeId).ToArray();
        _options = options;
        _marks = journal.Marks.Where(m => m.Symbol == symbol).ToArray();
        var first = _marks.First(m => m.Kind == RunMarkKind.Start);
        _settings = first.Settings ?? throw new ParityException($"the first start mark of {symbol} has no settings.");
        _filters = _marks.Where(m => m.Kind == RunMarkKind.Start).Select(m => m.Filters).FirstOrDefault(f => f is not null)
            ?? throw new ParityException($"the start marks of {symbol} have no exchange filters: the run never reached the exchange.");
        // Trade ids that jump, with the reason the recording's sidecar gives (a row per jump it saw).
        _recordedGaps = [.. journal.Gaps.Where(g => g.Symbol == symbol)];
        for (var i = 1; i < trades.Count; i++)
        {
            var (after, before) = (trades[i - 1].TradeId, trades[i].TradeId);
            if (before > after + 1)
            {
                var reasons = _recordedGaps.Where(g => g.AfterTradeId < before && g.BeforeTradeId > after).Select(g => g.Reason).Distinct(StringComparer.Ordinal).ToArray();
                _gaps.Add((i - 1, after, before, reasons.Length > 0 ? string.Join("; ", reasons) : "no sidecar row"));
            }
        }

        // A restart: the trades the recording lacks between two runs (the sidecar's "between runs" rows: from the last
        // trade the run before recorded to the first the run after did); without such a row (no trade was missed), the
        // trades between the last mark of the run before and the first mark of the run after.
        foreach (var between in _recordedGaps.Where(g => g.Reason.StartsWith(BetweenRuns, StringComparison.Ordinal)))
        {
            _downtimes.Add((between.AfterTradeId, between.BeforeTradeId));
        }

        var fromMarks = _downtimes.Count == 0;
        var starts = 0;
        long? lastBefore = null;
        for (var i = 0; i < _marks.Length; i++)
        {
            if (fromMarks && _marks[i].Kind == RunMarkKind.Start && ++starts > 1)
            {
                var after = _marks.Skip(i + 1).FirstOrDefault(m => m.TradeId is not null)?.TradeId ?? long.MaxValue;
                _downtimes.Add((lastBefore ?? long.MinValue, after));
            }

            lastBefore = _marks[i].TradeId ?? lastBefore;
        }

        var updates = journal.Updates.Where(u => u.Symbol == symbol).GroupBy(u => u.ClientOrderId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var markIndex = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < _marks.Length; i++)
        {
            if (_marks[i].ClientOrderId is { } id)
            {
                (markIndex.TryGetValue(id, out var list) ? list : markIndex[id] = []).Add(i);
            }
        }

        foreach (var intent in journal.Intents.Where(i => i.Symbol == symbol))
        {
            var id = intent.Request.ClientOrderId;
            var marks = markIndex.GetValueOrDefault(id) ?? [];
            var decided = marks.Select(i => _marks[i]).FirstOrDefault(m => m.Kind == RunMarkKind.Intent);
            var updateMarks = marks.Where(i => _marks[i].Kind == RunMarkKind.Update).ToArray();
            _live.Add(new LiveOrder(intent, updates.GetValueOrDefault(id)?[^1], decided, marks.FirstOrDefault(-1), updateMarks.Length > 0 ? _marks[updateMarks[0]] : null, updateMarks.Length > 0 ? updateMarks[^1] : -1)
            {
                LastUpdate = updateMarks.Length > 0 ? _marks[updateMarks[^1]] : null,
                UpdateMarks = updateMarks,
            });
        }

        // After a restart, until reconciliation has resolved the orders open when live stopped (and the first trade after),
        // live decides on what reconciliation found.
        var lastBeforeStart = (long?)null;
        for (var i = 0; i < _marks.Length; i++)
        {
            if (_marks[i].Kind == RunMarkKind.Start && i > 0 && Array.FindIndex(_marks, m => m.Kind == RunMarkKind.Start) < i)
            {
                var resolved = _live.Where(l => l.FirstMarkIndex >= 0 && l.FirstMarkIndex < i && (l.LastUpdateIndex < 0 || l.LastUpdateIndex > i))
                    .SelectMany(l => l.UpdateMarks.Where(u => u > i && _marks[u].TradeId is not null).Select(u => _marks[u].TradeId).Take(1))
                    .Max();
                if (resolved is { } until && IndexAtOrBefore(until) + 1 < _trades.Count)
                {
                    _reconciled.Add((lastBeforeStart ?? long.MinValue, _trades[IndexAtOrBefore(until) + 1].TradeId));
                }
            }

            lastBeforeStart = _marks[i].TradeId ?? lastBeforeStart;
        }
    }

    public async Task<BacktestResult> ReplayAsync(CancellationToken cancellationToken)
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions
        {
            Symbols = { _filters },
            Balances = { [_filters.QuoteAsset] = _settings.Budget },
            FeeRate = _settings.FeeRate,
            TakerFeeRate = _settings.FeeRate,
            PartialFills = _options.FillModel == FillModel.Partial,
            StartTime = _trades[0].Time,
        });
        var engineOptions = new NaiveStrategyOptions();
        engineOptions.Symbols.Add(_settings with { Status = SymbolStatus.On });
        using var timing = _options.LiveTiming ? new LiveTiming(exchange, Heard()) : null;
        await using var engine = new NaiveStrategyEngine(timing ?? (IExchange)exchange, timing ?? (IMarketData)exchange, Options.Create(engineOptions), new TraderIdGenerator("replay"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange);
        await session.StartAsync(cancellationToken);
        var changes = new Queue<RunMark>(_marks.Where(m => m.Kind == RunMarkKind.Settings && m.Settings is not null && m.TradeId is not null));
        var published = 0; // trades the exchange has published; the engine takes them in order, at most as far
        for (var i = 0; i < _trades.Count; i++)
        {
            // A change made after trade N was received applies from the trade after N.
            while (changes.TryPeek(out var change) && change.TradeId < _trades[i].TradeId)
            {
                engine.UpdateSettings(changes.Dequeue().Settings!);
            }

            if ((i & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (timing is null)
            {
                session.Replay(_trades[i]);
                continue;
            }

            if (i > 0 && timing.AnyFillHeardAt(_trades[i - 1].TradeId))
            {
                published = await RunAheadAsync(exchange, timing, session, i, published, cancellationToken);
            }

            timing.Before(_trades[i].TradeId);
            if (published <= i)
            {
                session.Replay(_trades[i]);
                published = i + 1;
            }

            timing.Feed(_trades[i]);
        }

        timing?.Flush();
        await engine.WaitUntilIdleAsync(cancellationToken);
        return session.Complete();
    }

    // Live took a fill having received trade i-1 only: when the replay's order has not filled yet, the exchange publishes
    // the trades up to the one that fills it (within the decision tolerance) before the engine takes trade i.
    private async Task<int> RunAheadAsync(InMemoryExchange exchange, LiveTiming timing, BacktestSession session, int i, int published, CancellationToken cancellationToken)
    {
        var heardAt = _trades[i - 1];
        var open = await exchange.GetOpenOrdersAsync(_symbol, cancellationToken);
        if (!open.IsSuccess)
        {
            return published;
        }

        var until = -1;
        foreach (var order in open.Value!.Where(o => timing.HeardFillBy(o, heardAt.TradeId)))
        {
            for (var j = Math.Max(i, published); j < _trades.Count && _trades[j].Time - heardAt.Time <= _options.DecisionTolerance; j++)
            {
                if (order.Side == OrderSide.Buy ? _trades[j].Price < order.Price : _trades[j].Price > order.Price)
                {
                    until = Math.Max(until, j);
                    break;
                }
            }
        }

        for (var j = Math.Max(i, published); j <= until; j++)
        {
            session.Replay(_trades[j]);
            published = j + 1;
        }

        return published;
    }

    // Per live order: the status of each update it took and the trade it had received then.
    private Dictionary<(string Key, OrderSide Side, decimal Price, decimal Quantity), List<(OrderStatus Status, long TradeId)>> Heard()
    {
        var heard = new Dictionary<(string, OrderSide, decimal, decimal), List<(OrderStatus, long)>>();
        var updates = _marks.Where(m => m.Kind == RunMarkKind.Update && m.Status is not null && m.TradeId is not null)
            .ToLookup(m => m.ClientOrderId!, m => (m.Status!.Value, m.TradeId!.Value), StringComparer.Ordinal);
        foreach (var live in _live)
        {
            var r = live.Intent.Request;
            heard.TryAdd((ParityReport.KeyOf(r.ClientOrderId), r.Side, r.Price, r.Quantity), [.. updates[r.ClientOrderId]]);
        }

        return heard;
    }

    public IEnumerable<ParityOrder> Compare(BacktestResult replay)
    {
        var replayOrders = replay.Journal.Where(j => j.Order.Symbol == _symbol)
            .Select(j => new ReplayOrder(j, ParityReport.KeyOf(j.Order.ClientOrderId), (int)Math.Clamp(j.AtTrade - 1, 0, _trades.Count - 1)))
            .ToList();
        var byKey = replayOrders.GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var used = new HashSet<ReplayOrder>();
        var rows = new List<(int Decided, ParityOrder Row, LiveOrder? Live, ReplayOrder? Replay)>();
        foreach (var live in _live)
        {
            var key = ParityReport.KeyOf(live.Intent.Request.ClientOrderId);
            var r = live.Intent.Request;
            var decided = live.Decided?.TradeId is { } t ? IndexAtOrBefore(t) : -1;
            var match = byKey.GetValueOrDefault(key)?.FirstOrDefault(o => !used.Contains(o)
                && o.Entry.Order.Side == r.Side && o.Entry.Order.Price == r.Price && o.Entry.Order.Quantity == r.Quantity
                && (decided < 0 || (_trades[decided].Time - _trades[o.Decided].Time).Duration() <= _options.DecisionTolerance));
            if (match is not null)
            {
                used.Add(match);
            }

            rows.Add((decided < 0 ? match?.Decided ?? int.MaxValue : decided, Row(key, live, match), live, match));
        }

        foreach (var o in replayOrders.Where(o => !used.Contains(o)))
        {
            rows.Add((o.Decided, Row(o.Key, null, o), null, o));
        }

        rows.Sort((a, b) => a.Decided.CompareTo(b.Decided));

        // The other run's order of the same trader, side and attempt, when the two differ in price or quantity.
        var unmatchedReplay = rows.Where(r => r.Live is null).Select(r => r.Replay!).ToLookup(o => (o.Key, o.Entry.Order.Side));
        var unmatchedLive = rows.Where(r => r.Row.Match == ParityMatch.LiveOnly).Select(r => r.Live!).ToLookup(l => (ParityReport.KeyOf(l.Intent.Request.ClientOrderId), l.Intent.Request.Side));
        // A divergence nothing explains inherits the cause of the earlier divergence of its own trader, and says so; a
        // trader only one run started (the leaders started traders at other moments) follows the symbol's last one.
        var last = new Dictionary<string, (DivergenceCause Cause, string Key)>(StringComparer.Ordinal);
        (DivergenceCause Cause, string Key)? symbolLast = null;
        var liveTraders = _live.Select(l => TraderOf(ParityReport.KeyOf(l.Intent.Request.ClientOrderId))).ToHashSet(StringComparer.Ordinal);
        var replayTraders = replayOrders.Select(r => TraderOf(r.Key)).ToHashSet(StringComparer.Ordinal);
        foreach (var (_, row, live, replayOrder) in rows)
        {
            if (row.Match == ParityMatch.Matched)
            {
                yield return row;
                continue;
            }

            var (cause, detail) = Classify(row, live ?? unmatchedLive[(row.Key, row.Side)].FirstOrDefault(), replayOrder ?? unmatchedReplay[(row.Key, row.Side)].FirstOrDefault());
            var trader = TraderOf(row.Key);
            var oneRunOnly = trader is not null && !(liveTraders.Contains(trader) && replayTraders.Contains(trader));
            if (cause == DivergenceCause.Unexplained && trader is not null
                && (last.TryGetValue(trader, out var earlier) || (oneRunOnly && symbolLast is { } symbolEarlier && (earlier = symbolEarlier) == symbolEarlier)))
            {
                yield return row with
                {
                    Cause = earlier.Cause,
                    InheritedFrom = earlier.Key,
                    Detail = $"follows the divergence of {earlier.Key} ({ParityReport.Name(earlier.Cause)})" + (oneRunOnly && TraderOf(earlier.Key) != trader ? $": trader {trader} ran in one run only" : ""),
                };
                continue;
            }

            if (cause != DivergenceCause.Unexplained && trader is not null)
            {
                last[trader] = (cause, row.Key);
                symbolLast = (cause, row.Key);
            }

            yield return row with { Cause = cause, Detail = detail };
        }
    }

    // "3-b2" → "3"; a guard's exit ("x1") has no trader.
    private static string? TraderOf(string key) => key.IndexOf('-', StringComparison.Ordinal) is > 0 and var dash && char.IsAsciiDigit(key[0]) ? key[..dash] : null;

    public List<Fill> LiveFills() =>
        [.. _live.Where(l => l.Final is { ExecutedQuantity: > 0 }).Select(l => new Fill(l.LastUpdate?.MarketTime ?? l.Final!.Time, l.Final!))];

    public List<Fill> ReplayFills(BacktestResult replay) =>
        [.. replay.Journal.Where(j => j.Order.Symbol == _symbol && j.Order.ExecutedQuantity > 0).Select(j => new Fill(j.Order.Time, j.Order))];

    /// <summary>Budget plus cash plus the position marked to the recorded price, at evenly spaced trades.</summary>
    public IReadOnlyList<EquityPoint> Equity(List<Fill> fills)
    {
        fills.Sort((a, b) => a.At.CompareTo(b.At));
        var step = Math.Max(1, _trades.Count / EquityPoints);
        var points = new List<EquityPoint>(EquityPoints + 2);
        decimal cash = _settings.Budget, position = 0m;
        var next = 0;
        for (var i = 0; i < _trades.Count; i++)
        {
            var trade = _trades[i];
            while (next < fills.Count && fills[next].At <= trade.Time)
            {
                var o = fills[next++].Order;
                var sign = o.Side == OrderSide.Buy ? 1 : -1;
                var quote = o.QuoteQuantity ?? (o.ExecutedQuantity * o.Price);
                cash -= sign * quote;
                position += sign * o.ExecutedQuantity;
                if (o.CommissionAsset == _filters.BaseAsset)
                {
                    position -= o.Commission;
                }
                else if (o.CommissionAsset == _filters.QuoteAsset)
                {
                    cash -= o.Commission;
                }
            }

            if (i % step == 0 || i == _trades.Count - 1)
            {
                points.Add(new EquityPoint(trade.Time, trade.Price, cash + (position * trade.Price)));
            }
        }

        return points;
    }

    private ParityOrder Row(string key, LiveOrder? live, ReplayOrder? replay)
    {
        var request = live?.Intent.Request;
        var order = replay?.Entry.Order;
        var match = (live, replay) switch
        {
            (null, _) => ParityMatch.ReplayOnly,
            (_, null) => ParityMatch.LiveOnly,
            _ when live.FinalStatus == order!.Status && live.Executed == order.ExecutedQuantity => ParityMatch.Matched,
            _ => ParityMatch.Differs,
        };
        return new ParityOrder(_symbol, key, match, null, request?.Side ?? order!.Side, request?.Price ?? order!.Price, request?.Quantity ?? order!.Quantity)
        {
            LiveClientOrderId = request?.ClientOrderId,
            LiveStatus = live?.FinalStatus,
            LiveExecuted = live?.Executed,
            LiveDecidedAt = live?.Decided?.MarketTime,
            ReplayClientOrderId = order?.ClientOrderId,
            ReplayStatus = order?.Status,
            ReplayExecuted = order?.ExecutedQuantity,
            ReplayDecidedAt = replay is null ? null : _trades[replay.Decided].Time,
        };
    }

    private (DivergenceCause, string?) Classify(ParityOrder row, LiveOrder? live, ReplayOrder? replay)
    {
        var inv = CultureInfo.InvariantCulture;
        if (live is not null && live.FinalStatus == OrderStatus.Rejected)
        {
            return (DivergenceCause.ExchangeReject, "the exchange refused live's order");
        }

        if (replay?.Entry.Error is { } error && live is null)
        {
            return (DivergenceCause.ExchangeReject, $"the replay's exchange refused it ({error.Code.ToString(inv)})");
        }

        if (row.Key.StartsWith('x'))
        {
            return (DivergenceCause.Guard, "a risk guard's exit");
        }

        if (live?.Decided?.TradeId is { } missing && Array.BinarySearch(_ids, missing) < 0)
        {
            var recorded = _recordedGaps.FirstOrDefault(g => g.AfterTradeId < missing && missing < g.BeforeTradeId);
            return (DivergenceCause.StreamGap, $"decided on trade {missing.ToString(inv)}, which live received but the recording lacks"
                + (recorded is null ? "" : $" (recorded gap {(recorded.AfterTradeId + 1).ToString(inv)}-{(recorded.BeforeTradeId - 1).ToString(inv)}: {recorded.Reason})"));
        }

        var decided = live?.Decided?.TradeId is { } liveTrade ? IndexAtOrBefore(liveTrade) : replay?.Decided ?? 0;
        var start = replay?.Decided ?? decided;
        var end = live?.LastUpdate?.TradeId is { } endTrade ? IndexAtOrBefore(endTrade) : _trades.Count - 1;
        if (live is not null && Restarted(live) is { } restart)
        {
            return (DivergenceCause.Restart, restart);
        }

        foreach (var (from, to) in _downtimes)
        {
            // Decided (by either run) on the trades live missed while down, or by live on the first it took after: on
            // what reconciliation found.
            foreach (var id in new[] { replay is null ? (long?)null : _trades[replay.Decided].TradeId, live?.Decided?.TradeId })
            {
                if (id > from && id <= to)
                {
                    return (DivergenceCause.Restart, $"decided while live was restarting or on the first trade after (live missed trades {(from + 1).ToString(inv)}-{(to - 1).ToString(inv)})");
                }
            }
        }

        foreach (var (from, to) in _reconciled)
        {
            if (live?.Decided?.TradeId is { } id && id > from && id <= to)
            {
                return (DivergenceCause.Restart, $"decided after a restart on what reconciliation found (the orders open when live stopped were resolved before trade {to.ToString(inv)})");
            }
        }

        var window = live is null ? (IndexAtOrBefore(_trades[start].Time - _options.DecisionTolerance), start) : (Math.Min(start, decided), Math.Max(end, decided));
        foreach (var (gap, a, b, reason) in _gaps)
        {
            if (gap >= window.Item1 && gap <= window.Item2)
            {
                return (DivergenceCause.StreamGap, $"trades {(a + 1).ToString(inv)}-{(b - 1).ToString(inv)} were never recorded ({(b - a - 1).ToString(inv)} missing: {reason})");
            }
        }

        if (row.Match is ParityMatch.LiveOnly or ParityMatch.ReplayOnly && live?.Decided?.TradeId is { } liveDecision && replay is not null
            && liveDecision != _trades[replay.Decided].TradeId)
        {
            var same = live.Intent.Request.Price == replay.Entry.Order.Price && live.Intent.Request.Quantity == replay.Entry.Order.Quantity;
            return (DivergenceCause.Latency, $"live decided {row.Key} when it had received trade {liveDecision.ToString(inv)}, the replay on trade {_trades[replay.Decided].TradeId.ToString(inv)}"
                + (same ? ": the same order, decided later than the tolerance" : ": the price moved in between"));
        }

        if (live?.Ack?.TradeId is { } ackTrade)
        {
            var ack = IndexAtOrBefore(ackTrade);
            for (var i = start + 1; i <= ack && i < _trades.Count; i++)
            {
                var t = _trades[i];
                if (row.Side == OrderSide.Buy ? t.Price < row.Price : t.Price > row.Price)
                {
                    return (DivergenceCause.Latency, $"trade {t.TradeId.ToString(inv)} at {t.Price.ToString(inv)} crossed the order before the exchange acknowledged it");
                }
            }
        }

        var decidedTrade = _trades[Math.Max(start, decided)].TradeId;
        if (_marks.LastOrDefault(m => m.Kind == RunMarkKind.Settings && m.TradeId <= decidedTrade) is { } change)
        {
            return (DivergenceCause.SettingsChange, $"settings changed at trade {change.TradeId!.Value.ToString(inv)}, before this decision");
        }

        if (row.Match == ParityMatch.Differs)
        {
            return (DivergenceCause.FillModel, $"live {row.LiveStatus} {row.LiveExecuted?.ToString(inv)}, replay {row.ReplayStatus} {row.ReplayExecuted?.ToString(inv)}");
        }

        return (DivergenceCause.Unexplained, null);
    }

    // Open when live stopped and resolved after it started again (or about to be sent then): reconciliation decided it.
    private string? Restarted(LiveOrder live)
    {
        var starts = Enumerable.Range(0, _marks.Length).Where(i => _marks[i].Kind == RunMarkKind.Start).Skip(1).ToArray();
        foreach (var s in starts)
        {
            var pending = live.LastUpdateIndex < 0 || live.LastUpdateIndex > s;
            if (live.FirstMarkIndex >= 0 && live.FirstMarkIndex < s && pending)
            {
                return "open when live stopped; resolved by reconciliation after the restart";
            }
        }

        return null;
    }

    private int IndexAtOrBefore(long tradeId)
    {
        var i = Array.BinarySearch(_ids, tradeId);
        return Math.Max(0, i >= 0 ? i : ~i - 1);
    }

    private int IndexAtOrBefore(DateTimeOffset time)
    {
        int lo = 0, hi = _trades.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_trades[mid].Time <= time)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    internal sealed record LiveOrder(OrderIntent Intent, OrderUpdate? Final, RunMark? Decided, int FirstMarkIndex, RunMark? Ack, int LastUpdateIndex)
    {
        public OrderStatus FinalStatus => Final?.Status ?? OrderStatus.New;

        public decimal Executed => Final?.ExecutedQuantity ?? 0m;

        public RunMark? LastUpdate { get; init; }

        public int[] UpdateMarks { get; init; } = [];
    }

    internal sealed record ReplayOrder(JournalEntry Entry, string Key, int Decided);

    internal sealed record Fill(DateTimeOffset At, OrderUpdate Order);
}

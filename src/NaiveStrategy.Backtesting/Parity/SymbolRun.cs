using NaiveStrategy.Backtesting.Recording;

namespace NaiveStrategy.Backtesting.Parity;

/// <summary>One symbol of a parity report: its recorded trades, its live orders and marks, the replay, the comparison.</summary>
internal sealed partial class SymbolRun
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
    private readonly List<(string Key, int Trade)> _replayFills = []; // the backtest's filled orders and the trade that filled each
    private readonly Dictionary<string, (long Live, long Replay)> _placedLater = new(StringComparer.Ordinal); // live orders the backtest decided on an earlier trade

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

    public IEnumerable<ParityOrder> Compare(BacktestResult replay, BacktestResult? timed)
    {
        var rows = Pair(replay);
        _placedLater.Clear(); // what this comparison's backtest did, read by the latency rules
        _replayFills.Clear();
        foreach (var (_, row, live, replayOrder) in rows)
        {
            if (live?.Decided?.TradeId is { } liveTrade && replayOrder is not null && liveTrade > _trades[replayOrder.Decided].TradeId)
            {
                _placedLater[live.Intent.Request.ClientOrderId] = (liveTrade, _trades[replayOrder.Decided].TradeId);
            }
        }

        var replayOrders = rows.Where(r => r.Replay is not null).Select(r => r.Replay!).ToList();
        _replayFills.AddRange(replayOrders.Where(r => r.Entry.Order.ExecutedQuantity > 0).Select(r => (r.Key, IndexAtOrBefore(r.Entry.Order.Time))));
        var timing = timed is null ? null : new TimedReplay(this, timed);

        // The other run's order of the same trader, side and attempt, when the two differ in price or quantity.
        var unmatchedReplay = rows.Where(r => r.Live is null).Select(r => r.Replay!).ToLookup(o => (o.Key, o.Entry.Order.Side));
        var unmatchedLive = rows.Where(r => r.Row.Match == ParityMatch.LiveOnly).Select(r => r.Live!).ToLookup(l => (ParityReport.KeyOf(l.Intent.Request.ClientOrderId), l.Intent.Request.Side));
        // A divergence nothing explains inherits the cause of the earlier divergence of its own trader, and says so; a
        // trader only one run started (the leaders started traders at other moments) follows the symbol's last one.
        var last = new Dictionary<string, Explained>(StringComparer.Ordinal);
        Explained? symbolLast = null;
        var liveTraders = _live.Select(l => TraderOf(ParityReport.KeyOf(l.Intent.Request.ClientOrderId))).ToHashSet(StringComparer.Ordinal);
        var replayTraders = replayOrders.Select(r => TraderOf(r.Key)).ToHashSet(StringComparer.Ordinal);
        foreach (var (_, row, live, replayOrder) in rows)
        {
            if (row.Match == ParityMatch.Matched)
            {
                yield return row;
                continue;
            }

            var other = live ?? unmatchedLive[(row.Key, row.Side)].FirstOrDefault();
            var otherReplay = replayOrder ?? unmatchedReplay[(row.Key, row.Side)].FirstOrDefault();
            var (cause, why, detail) = Classify(row, other, otherReplay);
            var byTiming = cause is DivergenceCause.Unexplained or DivergenceCause.Latency or DivergenceCause.SettingsChange or DivergenceCause.FillModel
                && timing is not null && timing.Explains(row, live);
            if (byTiming)
            {
                (cause, why, detail) = HeardLate(other, otherReplay);
            }

            var trader = TraderOf(row.Key);
            var oneRunOnly = trader is not null && !(liveTraders.Contains(trader) && replayTraders.Contains(trader));
            // Heard late for no reason the journal names: when its trader's orders (or, for a trader one run only
            // started, the symbol's) had already parted, that divergence is the reason.
            if ((cause == DivergenceCause.Unexplained || (byTiming && why is null)) && trader is not null
                && (last.TryGetValue(trader, out var earlier) || (oneRunOnly && symbolLast is { } symbolEarlier && (earlier = symbolEarlier) == symbolEarlier)))
            {
                var name = ParityReport.CauseName(row with { Cause = earlier.Cause, LatencyCause = earlier.Why });
                yield return row with
                {
                    Cause = earlier.Cause,
                    LatencyCause = earlier.Why,
                    InheritedFrom = earlier.Key,
                    Detail = $"follows the divergence of {earlier.Key} ({name})" + (oneRunOnly && TraderOf(earlier.Key) != trader ? $": trader {trader} ran in one run only" : ""),
                };
                continue;
            }

            if (cause != DivergenceCause.Unexplained && trader is not null)
            {
                last[trader] = new Explained(cause, why, row.Key);
                symbolLast = last[trader];
            }

            yield return row with { Cause = cause, LatencyCause = why, Detail = detail };
        }
    }

    // Every live order paired with the replay's order of the same trader sequence, side, attempt, price and quantity
    // decided within the tolerance; the replay's orders left over; by decision.
    private List<(int Decided, ParityOrder Row, LiveOrder? Live, ReplayOrder? Replay)> Pair(BacktestResult replay)
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
        return rows;
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

    private sealed record Explained(DivergenceCause Cause, LatencyCause? Why, string Key);

    internal sealed record Fill(DateTimeOffset At, OrderUpdate Order);
}

using System.Globalization;

namespace NaiveStrategy.Backtesting.Parity;

// Why live heard late: the backtest hears of every fill with the trade that made it; live heard of it when the order
// stream (or a query) told it. The replay timed as live was says whether that explains a divergence; the update marks
// say how live learned of the update that mattered (a lost answer or report learned by query, a reordered or late
// stream report).
internal sealed partial class SymbolRun
{
    // A divergence from the backtest that the replay timed as live was does not have: live heard late. Of the fill the
    // backtest heard just before deciding it, when live heard the same order's fill on a later trade; or else of the
    // fill live heard before deciding its own.
    private (DivergenceCause, LatencyCause?, string) HeardLate(LiveOrder? live, ReplayOrder? replay)
    {
        var inv = CultureInfo.InvariantCulture;
        var backtest = replay is null ? "the backtest never placed it" : $"the backtest decided {replay.Key} on trade {_trades[replay.Decided].TradeId.ToString(inv)}";
        if (replay is not null && BacktestTrigger(replay) is { } trigger
            && Array.Find(_marks, m => IsFill(m) && ParityReport.KeyOf(m.ClientOrderId!) == trigger.Key) is { } heardBy
            && heardBy.TradeId > _trades[trigger.Trade].TradeId)
        {
            var (cause, heard) = HeardChain(heardBy);
            return (DivergenceCause.Latency, cause, $"{backtest}, having heard {trigger.Key} filled on trade {_trades[trigger.Trade].TradeId.ToString(inv)}; replayed as live heard its updates, it is decided as live did: {heard}");
        }

        var mark = live is not null ? Trigger(live) : replay is not null ? FirstFillHeardFrom(_trades[replay.Decided].TradeId) : null;
        var (why, text) = HeardChain(mark);
        return (DivergenceCause.Latency, why, $"{backtest}; replayed as live heard its updates, it is decided as live did: {text}");
    }

    // Whether live heard this fill having received a later trade than the one the backtest's same order filled on.
    private bool HeardAfterTheBacktest(RunMark fill)
    {
        var key = ParityReport.KeyOf(fill.ClientOrderId!);
        return _replayFills.Find(f => f.Key == key) is { Key: not null } backtest && fill.TradeId > _trades[backtest.Trade].TradeId;
    }

    // The backtest's last fill at or before its decision: for a SELL its own trader's.
    private (string Key, int Trade)? BacktestTrigger(ReplayOrder replay)
    {
        var trader = TraderOf(replay.Key);
        var fills = _replayFills.Where(f => f.Trade <= replay.Decided && f.Key != replay.Key
            && (replay.Entry.Order.Side == OrderSide.Buy || TraderOf(f.Key) == trader)).ToArray();
        return fills.Length == 0 ? null : fills.MaxBy(f => f.Trade);
    }

    // A fill heard on time may still be late for the backtest: live placed that order later than the backtest did,
    // after hearing of an earlier fill late. Follows such fills back (a few) to the one the journal says why of.
    private (LatencyCause?, string) HeardChain(RunMark? mark)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        for (var step = 0; step < 8; step++)
        {
            var (why, heard) = Heard(mark);
            parts.Add(heard);
            if (why is not null || mark?.ClientOrderId is not { } id || !HeardAfterTheBacktest(mark) || !_placedLater.TryGetValue(id, out var placed)
                || _live.Find(l => l.Intent.Request.ClientOrderId == id) is not { } order)
            {
                return (why, string.Join("; ", parts));
            }

            parts.Add($"live placed {ParityReport.KeyOf(id)} having received trade {placed.Live.ToString(inv)}, the backtest on trade {placed.Replay.ToString(inv)}");
            mark = Trigger(order);
        }

        return (null, string.Join("; ", parts));
    }

    // How live learned of an update, and whether that made it late.
    private (LatencyCause?, string) Heard(RunMark? mark)
    {
        if (mark?.ClientOrderId is not { } id)
        {
            return (null, "live heard of a fill later than the trade that made it");
        }

        var inv = CultureInfo.InvariantCulture;
        var what = $"{ParityReport.KeyOf(id)} {mark.Status}";
        var delay = mark.ExchangeTime is { } made ? mark.Time - made : (TimeSpan?)null;
        var when = (delay is { } d ? $", {Math.Max(0, d.TotalMilliseconds).ToString("0", inv)} ms after the exchange made it" : "")
            + (mark.TradeId is { } trade ? $", having received trade {trade.ToString(inv)}" : "");
        return mark.Source switch
        {
            OrderUpdateSource.Query when !Answered(id) =>
                (LatencyCause.AnswerLost, $"the answer to live's placement of {ParityReport.KeyOf(id)} was lost: live learned {what} by query{when}"),
            OrderUpdateSource.Query => (LatencyCause.ReportLost, $"the order stream had not delivered {what}: live learned it by query{when}"),
            OrderUpdateSource.Stream when mark.Reordered => (LatencyCause.Reordered, $"the order stream delivered {what} after a report the exchange made later{when}"),
            OrderUpdateSource.Stream when delay > _options.LateReport => (LatencyCause.ReportLate, $"the order stream delivered {what} late{when}"),
            OrderUpdateSource.Stream => (null, $"live heard {what} on the order stream{when}"),
            OrderUpdateSource.Answer => (null, $"live heard {what} in the exchange's answer{when}"),
            _ => (null, $"live heard {what}{when}"),
        };
    }

    private bool Answered(string clientOrderId) =>
        Array.Exists(_marks, m => m.Kind == RunMarkKind.Update && m.Source == OrderUpdateSource.Answer && m.ClientOrderId == clientOrderId);

    // The fill live heard before deciding this order: for a SELL its own trader's, otherwise the symbol's last.
    private RunMark? Trigger(LiveOrder live)
    {
        var trader = TraderOf(ParityReport.KeyOf(live.Intent.Request.ClientOrderId));
        var before = live.FirstMarkIndex < 0 ? _marks.Length : live.FirstMarkIndex;
        RunMark? any = null;
        for (var i = before - 1; i >= 0; i--)
        {
            var m = _marks[i];
            if (!IsFill(m))
            {
                continue;
            }

            if (live.Intent.Request.Side == OrderSide.Buy || TraderOf(ParityReport.KeyOf(m.ClientOrderId!)) == trader)
            {
                return m;
            }

            any ??= m;
        }

        return any;
    }

    // The first fill live heard having received this trade or a later one (the backtest heard it with its trade), else
    // the last live heard before it.
    private RunMark? FirstFillHeardFrom(long tradeId) =>
        Array.Find(_marks, m => IsFill(m) && m.TradeId >= tradeId) ?? Array.FindLast(_marks, m => IsFill(m) && m.TradeId < tradeId);

    private static bool IsFill(RunMark m) => m.Kind == RunMarkKind.Update && m.Status is OrderStatus.Filled or OrderStatus.PartiallyFilled && m.ClientOrderId is not null;

    // The replay timed as live was: the live orders it matched and the orders it placed.
    private sealed class TimedReplay
    {
        private readonly HashSet<string> _matched;
        private readonly HashSet<(string Key, OrderSide Side, decimal Price, decimal Quantity)> _placed;

        public TimedReplay(SymbolRun run, BacktestResult timed)
        {
            var rows = run.Pair(timed);
            _matched = rows.Where(r => r.Row.Match == ParityMatch.Matched).Select(r => r.Live!.Intent.Request.ClientOrderId).ToHashSet(StringComparer.Ordinal);
            _placed = [.. rows.Where(r => r.Replay is not null).Select(r => (r.Replay!.Key, r.Replay.Entry.Order.Side, r.Replay.Entry.Order.Price, r.Replay.Entry.Order.Quantity))];
        }

        // A live order it matched, or an order of the backtest it never placed: the backtest got it wrong by timing.
        public bool Explains(ParityOrder row, LiveOrder? live) =>
            live is not null ? _matched.Contains(live.Intent.Request.ClientOrderId) : !_placed.Contains((row.Key, row.Side, row.Price, row.Quantity));
    }
}

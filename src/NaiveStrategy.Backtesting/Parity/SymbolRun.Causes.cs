using System.Globalization;

namespace NaiveStrategy.Backtesting.Parity;

// Why an order the two runs do not share diverged: an exchange refusal, a guard's exit, trades the recording lacks, a
// restart, latency, a settings change or the fill model; Unexplained when none applies.
internal sealed partial class SymbolRun
{
    private (DivergenceCause, LatencyCause?, string?) Classify(ParityOrder row, LiveOrder? live, ReplayOrder? replay)
    {
        var inv = CultureInfo.InvariantCulture;
        if (live is not null && live.FinalStatus == OrderStatus.Rejected)
        {
            return (DivergenceCause.ExchangeReject, null, "the exchange refused live's order");
        }

        if (replay?.Entry.Error is { } error && live is null)
        {
            return (DivergenceCause.ExchangeReject, null, $"the replay's exchange refused it ({error.Code.ToString(inv)})");
        }

        if (row.Key.StartsWith('x'))
        {
            return (DivergenceCause.Guard, null, "a risk guard's exit");
        }

        if (live?.Decided?.TradeId is { } missing && Array.BinarySearch(_ids, missing) < 0)
        {
            var recorded = _recordedGaps.FirstOrDefault(g => g.AfterTradeId < missing && missing < g.BeforeTradeId);
            return (DivergenceCause.StreamGap, null, $"decided on trade {missing.ToString(inv)}, which live received but the recording lacks"
                + (recorded is null ? "" : $" (recorded gap {(recorded.AfterTradeId + 1).ToString(inv)}-{(recorded.BeforeTradeId - 1).ToString(inv)}: {recorded.Reason})"));
        }

        var decided = live?.Decided?.TradeId is { } liveTrade ? IndexAtOrBefore(liveTrade) : replay?.Decided ?? 0;
        var start = replay?.Decided ?? decided;
        var end = live?.LastUpdate?.TradeId is { } endTrade ? IndexAtOrBefore(endTrade) : _trades.Count - 1;
        if (live is not null && Restarted(live) is { } restart)
        {
            return (DivergenceCause.Restart, null, restart);
        }

        foreach (var (from, to) in _downtimes)
        {
            // Decided (by either run) on the trades live missed while down, or by live on the first it took after: on
            // what reconciliation found.
            foreach (var id in new[] { replay is null ? (long?)null : _trades[replay.Decided].TradeId, live?.Decided?.TradeId })
            {
                if (id > from && id <= to)
                {
                    return (DivergenceCause.Restart, null, $"decided while live was restarting or on the first trade after (live missed trades {(from + 1).ToString(inv)}-{(to - 1).ToString(inv)})");
                }
            }
        }

        foreach (var (from, to) in _reconciled)
        {
            if (live?.Decided?.TradeId is { } id && id > from && id <= to)
            {
                return (DivergenceCause.Restart, null, $"decided after a restart on what reconciliation found (the orders open when live stopped were resolved before trade {to.ToString(inv)})");
            }
        }

        var window = live is null ? (IndexAtOrBefore(_trades[start].Time - _options.DecisionTolerance), start) : (Math.Min(start, decided), Math.Max(end, decided));
        foreach (var (gap, a, b, reason) in _gaps)
        {
            if (gap >= window.Item1 && gap <= window.Item2)
            {
                return (DivergenceCause.StreamGap, null, $"trades {(a + 1).ToString(inv)}-{(b - 1).ToString(inv)} were never recorded ({(b - a - 1).ToString(inv)} missing: {reason})");
            }
        }

        if (row.Match is ParityMatch.LiveOnly or ParityMatch.ReplayOnly && live?.Decided?.TradeId is { } liveDecision && replay is not null
            && liveDecision != _trades[replay.Decided].TradeId)
        {
            var same = live.Intent.Request.Price == replay.Entry.Order.Price && live.Intent.Request.Quantity == replay.Entry.Order.Quantity;
            var (why, heard) = HeardChain(Trigger(live));
            return (DivergenceCause.Latency, why, $"live decided {row.Key} when it had received trade {liveDecision.ToString(inv)}, the replay on trade {_trades[replay.Decided].TradeId.ToString(inv)}"
                + (same ? ": the same order, decided later than the tolerance" : ": the price moved in between") + $" ({heard})");
        }

        if (live?.Ack?.TradeId is { } ackTrade)
        {
            var ack = IndexAtOrBefore(ackTrade);
            for (var i = start + 1; i <= ack && i < _trades.Count; i++)
            {
                var t = _trades[i];
                if (row.Side == OrderSide.Buy ? t.Price < row.Price : t.Price > row.Price)
                {
                    var (why, heard) = Heard(live.Ack);
                    return (DivergenceCause.Latency, why, $"trade {t.TradeId.ToString(inv)} at {t.Price.ToString(inv)} crossed the order before the exchange acknowledged it ({heard})");
                }
            }
        }

        var decidedTrade = _trades[Math.Max(start, decided)].TradeId;
        if (_marks.LastOrDefault(m => m.Kind == RunMarkKind.Settings && m.TradeId <= decidedTrade) is { } change)
        {
            return (DivergenceCause.SettingsChange, null, $"settings changed at trade {change.TradeId!.Value.ToString(inv)}, before this decision");
        }

        if (row.Match == ParityMatch.Differs)
        {
            return (DivergenceCause.FillModel, null, $"live {row.LiveStatus} {row.LiveExecuted?.ToString(inv)}, replay {row.ReplayStatus} {row.ReplayExecuted?.ToString(inv)}");
        }

        return (DivergenceCause.Unexplained, null, null);
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
}

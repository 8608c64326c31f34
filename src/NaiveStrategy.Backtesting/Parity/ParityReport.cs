using System.Globalization;
using System.Text.RegularExpressions;

namespace NaiveStrategy.Backtesting.Parity;

/// <summary>
/// Does the backtest predict live? Replays the trades a live run recorded through the same engine on the in-memory
/// exchange, from the settings and filters the run started with (and every settings change at the market time it was
/// made), with the symbol's budget as the starting balance, then matches live's order journal against the replay's
/// orders by trader sequence, side, attempt, price and quantity, with decisions at most
/// <see cref="ParityOptions.DecisionTolerance"/> apart in market time. Every order of either run is a row; every
/// divergence has a cause (<see cref="DivergenceCause"/>), checked in this order: exchange reject, guard, restart,
/// stream gap, latency, settings change, fill model. The replay is a plain backtest (what a user's backtest predicts);
/// with <see cref="ParityOptions.LiveTiming"/> a second replay, timed as live heard of its fills, explains what the
/// backtest gets wrong because live heard late (latency, with why: <see cref="LatencyCause"/>). A divergence none of them explains inherits the cause of the
/// nearest earlier explained divergence of the same trader (once a trader's orders part, its later ones differ for the
/// same reason), and says so (<see cref="ParityOrder.InheritedFrom"/>, the CSV's <c>inherited_from</c>); any other is
/// <see cref="DivergenceCause.Unexplained"/>, counted and shown first.
/// </summary>
public sealed partial class ParityReport
{
    private ParityReport(IReadOnlyList<ParityOrder> orders, int liveOrders, IReadOnlyDictionary<string, IReadOnlyList<EquityPoint>> liveEquity, IReadOnlyDictionary<string, IReadOnlyList<EquityPoint>> replayEquity)
    {
        Orders = orders;
        LiveOrders = liveOrders;
        Matched = orders.Count(o => o.Match == ParityMatch.Matched);
        Diverged = orders.Count(o => o.Match != ParityMatch.Matched);
        Causes = orders.Where(o => o.Cause is not null).GroupBy(o => o.Cause!.Value).ToDictionary(g => g.Key, g => g.Count());
        LatencyCauses = orders.Where(o => o.LatencyCause is not null).GroupBy(o => o.LatencyCause!.Value).ToDictionary(g => g.Key, g => g.Count());
        CauseCounts = orders.Where(o => o.Cause is not null).GroupBy(CauseName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        LiveEquity = liveEquity;
        ReplayEquity = replayEquity;
    }

    /// <summary>Every order of either run, by symbol and decision time.</summary>
    public IReadOnlyList<ParityOrder> Orders { get; }

    /// <summary>Orders live placed (its intents).</summary>
    public int LiveOrders { get; }

    /// <summary>Orders both runs placed and ended the same.</summary>
    public int Matched { get; }

    /// <summary>Divergences: orders placed by one run only, or ended differently.</summary>
    public int Diverged { get; }

    /// <summary>Divergences by cause.</summary>
    public IReadOnlyDictionary<DivergenceCause, int> Causes { get; }

    /// <summary>Latency divergences by why live heard late, where the journal says (the others are plain latency).</summary>
    public IReadOnlyDictionary<LatencyCause, int> LatencyCauses { get; }

    /// <summary>Divergences by cause as the summary names them: <c>latency (report lost)</c>, <c>latency</c>, <c>stream gap</c>, …</summary>
    public IReadOnlyDictionary<string, int> CauseCounts { get; }

    /// <summary>Live's equity (budget, cash and position marked to the recorded price) per symbol.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EquityPoint>> LiveEquity { get; }

    /// <summary>The plain backtest's equity per symbol (the replay that predicts live), at the same trades.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EquityPoint>> ReplayEquity { get; }

    /// <summary>Unexplained divergences (first in <see cref="Summary"/> when any).</summary>
    public int Unexplained => Causes.GetValueOrDefault(DivergenceCause.Unexplained);

    /// <summary>One line, e.g. <c>parity: 412 live orders, 409 matched, 3 diverged: 2 latency, 1 stream gap</c>.</summary>
    public string Summary
    {
        get
        {
            var inv = CultureInfo.InvariantCulture;
            var line = $"parity: {LiveOrders.ToString(inv)} live orders, {Matched.ToString(inv)} matched, {Diverged.ToString(inv)} diverged";
            if (Diverged == 0)
            {
                return line;
            }

            var unexplained = Name(DivergenceCause.Unexplained);
            var causes = CauseCounts.OrderBy(c => c.Key == unexplained ? 0 : 1).ThenByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => $"{c.Value.ToString(inv)} {c.Key}");
            return line + ": " + string.Join(", ", causes);
        }
    }

    /// <summary>A cause as the summary and the CSV write it: <c>stream gap</c>, <c>latency</c>, <c>fill model</c>, …</summary>
    /// <param name="cause">The cause.</param>
    /// <returns>Its name.</returns>
    public static string Name(DivergenceCause cause) => cause switch
    {
        DivergenceCause.StreamGap => "stream gap",
        DivergenceCause.FillModel => "fill model",
        DivergenceCause.ExchangeReject => "exchange reject",
        DivergenceCause.SettingsChange => "settings change",
        _ => cause.ToString().ToLowerInvariant(),
    };

    /// <summary>Why live heard late as the summary and the CSV write it: <c>answer lost</c>, <c>report lost</c>, <c>reordered</c>, <c>report late</c>.</summary>
    /// <param name="cause">Why.</param>
    /// <returns>Its name.</returns>
    public static string Name(LatencyCause cause) => cause switch
    {
        LatencyCause.AnswerLost => "answer lost",
        LatencyCause.ReportLost => "report lost",
        LatencyCause.ReportLate => "report late",
        _ => cause.ToString().ToLowerInvariant(),
    };

    /// <summary>An order's cause as the summary and the CSV write it, with why live heard late: <c>latency (report lost)</c>; empty when matched.</summary>
    /// <param name="order">The order.</param>
    /// <returns>Its cause's name.</returns>
    public static string CauseName(ParityOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Cause is not { } cause ? "" : order.LatencyCause is { } why ? $"{Name(cause)} ({Name(why)})" : Name(cause);
    }

    /// <summary>A match as the CSV writes it: <c>matched</c>, <c>differs</c>, <c>live only</c>, <c>replay only</c>.</summary>
    /// <param name="match">The match.</param>
    /// <returns>Its name.</returns>
    public static string Name(ParityMatch match) => match switch
    {
        ParityMatch.LiveOnly => "live only",
        ParityMatch.ReplayOnly => "replay only",
        _ => match.ToString().ToLowerInvariant(),
    };

    /// <summary>Writes one CSV row per order of either run, with a header.</summary>
    /// <param name="writer">Where.</param>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var inv = CultureInfo.InvariantCulture;
        writer.Write("symbol,key,match,cause,inherited_from,side,price,quantity,live_client_order_id,live_status,live_executed,live_decided_at,replay_client_order_id,replay_status,replay_executed,replay_decided_at,detail\n");
        foreach (var o in Orders)
        {
            string[] fields =
            [
                o.Symbol, o.Key, Name(o.Match), CauseName(o), o.InheritedFrom ?? "", o.Side.ToString().ToUpperInvariant(), o.Price.ToString(inv), o.Quantity.ToString(inv),
                o.LiveClientOrderId ?? "", o.LiveStatus?.ToString() ?? "", o.LiveExecuted?.ToString(inv) ?? "", o.LiveDecidedAt?.UtcDateTime.ToString("O", inv) ?? "",
                o.ReplayClientOrderId ?? "", o.ReplayStatus?.ToString() ?? "", o.ReplayExecuted?.ToString(inv) ?? "", o.ReplayDecidedAt?.UtcDateTime.ToString("O", inv) ?? "",
                o.Detail ?? "",
            ];
            writer.Write(string.Join(',', fields.Select(Quote)));
            writer.Write('\n');
        }
    }

    /// <summary>Builds the report from a live run's journal and the trades it recorded.</summary>
    /// <param name="journal">The state file's intents, updates and run marks.</param>
    /// <param name="trades">The recorded trades (every symbol, in time order), e.g. <c>TradeFileReader.Open(["recordings"])</c>.</param>
    /// <param name="options">Tolerance and fill model; the defaults when null.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ParityException">The journal has no run marks (not recorded), or a symbol it traded has no recorded trades.</exception>
    public static async Task<ParityReport> CreateAsync(ParityJournal journal, IEnumerable<TradeEvent> trades, ParityOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(trades);
        options ??= new ParityOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DecisionTolerance, TimeSpan.Zero, "options.DecisionTolerance");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LateReport, TimeSpan.Zero, "options.LateReport");
        var symbols = journal.Marks.Where(m => m.Kind == RunMarkKind.Start).Select(m => m.Symbol).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (symbols.Length == 0)
        {
            throw new ParityException(journal.Intents.Count == 0
                ? "the state file has no run marks and no orders: nothing ran on it with a trade recording."
                : "the state file has orders but no run marks: it was written without a trade recording (live --record, schema 5), so its decisions cannot be put on the market's time.");
        }

        var bySymbol = symbols.ToDictionary(s => s, _ => new List<TradeEvent>(), StringComparer.Ordinal);
        foreach (var trade in trades)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (bySymbol.TryGetValue(trade.Symbol, out var list))
            {
                list.Add(trade);
            }
        }

        var orders = new List<ParityOrder>();
        var liveEquity = new Dictionary<string, IReadOnlyList<EquityPoint>>(StringComparer.Ordinal);
        var replayEquity = new Dictionary<string, IReadOnlyList<EquityPoint>>(StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            var recorded = bySymbol[symbol];
            if (recorded.Count == 0)
            {
                throw new ParityException($"no recorded trades of {symbol}: give the recording directory of the run (live's --record, default recordings beside the state file).");
            }

            var run = new SymbolRun(symbol, recorded, journal, options);
            var replay = await run.ReplayAsync(timed: false, cancellationToken);
            var timed = options.LiveTiming ? await run.ReplayAsync(timed: true, cancellationToken) : null;
            orders.AddRange(run.Compare(replay, timed));
            liveEquity[symbol] = run.Equity(run.LiveFills());
            replayEquity[symbol] = run.Equity(run.ReplayFills(replay));
        }

        return new ParityReport(orders, journal.Intents.Count(i => bySymbol.ContainsKey(i.Symbol)), liveEquity, replayEquity);
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // "abc-XRPUSDT-3-b2" → "3-b2"; a guard's exit "abc-XRPUSDT-x1" → "x1".
    internal static string KeyOf(string clientOrderId) =>
        OrderKey().Match(clientOrderId) is { Success: true } m ? m.Groups[1].Value : clientOrderId;

    [GeneratedRegex(@"-((?:\d+-[bs]\d*)|(?:x\d+))$")]
    private static partial Regex OrderKey();
}

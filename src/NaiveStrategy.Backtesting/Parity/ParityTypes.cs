using NaiveStrategy.Backtesting.Recording;

namespace NaiveStrategy.Backtesting.Parity;

/// <summary>What a live run wrote in its state file: order intents and updates, and the run marks that tie them to the market.</summary>
/// <param name="Intents">Every order intent, oldest first.</param>
/// <param name="Updates">Every order update, oldest first.</param>
/// <param name="Marks">Every run mark, oldest first (<see cref="IRunJournal.ReadMarks"/>).</param>
public sealed record ParityJournal(IReadOnlyList<OrderIntent> Intents, IReadOnlyList<OrderUpdate> Updates, IReadOnlyList<RunMark> Marks)
{
    /// <summary>The gaps its recording wrote beside the trades (<see cref="RecordedGap.Read"/>): their reasons name the stream gaps.</summary>
    public IReadOnlyList<RecordedGap> Gaps { get; init; } = [];
}

/// <summary>How a parity report matches and replays.</summary>
public sealed record ParityOptions
{
    /// <summary>
    /// A live order and a replay order with the same trader sequence, side, attempt, price and quantity match when
    /// the market times of the trades that decided them are at most this far apart (default 1 minute): live decides on
    /// a trade a moment after it arrives and hears of a fill a moment after the trade that made it, and the mark of its
    /// decision holds the last trade received by then. Against a sandbox replaying at N times the market's pace, a
    /// moment of wall time is N moments of market time (200× turns 0.2 s into 40 s).
    /// </summary>
    public TimeSpan DecisionTolerance { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether a divergence from the backtest is explained by a second replay timed as live was (default true). The
    /// report compares live with what a backtest of the recording predicts: its engine hears of every fill with the
    /// trade that made it. Live hears of a fill on another stream than the trades, a moment after the trade that made
    /// it (longer when its report is lost, reordered or late), and decides what follows (the sell, the trader that
    /// replaces a finished one) on the next trade it takes. The second replay's engine hears of each update live also
    /// took (the same trader's order, side, price and quantity, with the same status) right after the trade live had
    /// received when it took it. An order the backtest gets wrong and that replay gets right diverged because live
    /// heard late: <see cref="DivergenceCause.Latency"/>, with why (<see cref="LatencyCause"/>) from the journal's
    /// update marks. False: no second replay; such divergences are classified by the other rules alone.
    /// </summary>
    public bool LiveTiming { get; init; } = true;

    /// <summary>
    /// A stream report that reached live's journal more than this after the exchange made it (the update mark's time
    /// less the exchange's time) is late: <see cref="LatencyCause.ReportLate"/> (default 100 ms).
    /// </summary>
    public TimeSpan LateReport { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The replay's fill model: the one live's exchange used (full fills unless the sandbox or paper ran with partial fills).</summary>
    public FillModel FillModel { get; init; } = FillModel.Full;
}

/// <summary>How an order of either run compares with the other.</summary>
public enum ParityMatch
{
    /// <summary>Both runs placed it and it ended the same (status and executed quantity).</summary>
    Matched,

    /// <summary>Both runs placed it, and it ended differently.</summary>
    Differs,

    /// <summary>Only live placed it.</summary>
    LiveOnly,

    /// <summary>Only the replay placed it.</summary>
    ReplayOnly,
}

/// <summary>Why a live order and the replay diverged.</summary>
public enum DivergenceCause
{
    /// <summary>None of the causes below explains it.</summary>
    Unexplained,

    /// <summary>Trades live never received (a stream gap in the recording) lie inside the order's life: the exchange matched against them.</summary>
    StreamGap,

    /// <summary>The price crossed the order between the trade that decided it and the exchange's acknowledgement.</summary>
    Latency,

    /// <summary>Placed by both, but live filled where the replay's fill model would not, or the reverse (partial fills included).</summary>
    FillModel,

    /// <summary>The exchange refused the live order.</summary>
    ExchangeReject,

    /// <summary>Live restarted while the order was open or about to be sent: it was resolved by reconciliation.</summary>
    Restart,

    /// <summary>The symbol's settings changed between the trader's start and this order.</summary>
    SettingsChange,

    /// <summary>A risk guard's exit (or a guard that fired in one run only).</summary>
    Guard,
}

/// <summary>Why live heard late, for a <see cref="DivergenceCause.Latency"/> divergence: from how live learned of the update that mattered.</summary>
public enum LatencyCause
{
    /// <summary>The answer to live's placement was lost (a timeout, a 5xx): it learned of the order by query.</summary>
    AnswerLost,

    /// <summary>The order stream had not delivered the update (lost while its connection was down): live learned it by query.</summary>
    ReportLost,

    /// <summary>The order stream delivered the update after a report the exchange made later.</summary>
    Reordered,

    /// <summary>The order stream delivered the update later than <see cref="ParityOptions.LateReport"/> after the exchange made it.</summary>
    ReportLate,
}

/// <summary>One order of either run, compared.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Key">Trader sequence, side and attempt, e.g. <c>3-b</c> or <c>3-b2</c>: the same in both runs.</param>
/// <param name="Match">How it compares.</param>
/// <param name="Cause">Why it diverged; null when matched.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">Its limit price.</param>
/// <param name="Quantity">Its quantity.</param>
public sealed record ParityOrder(string Symbol, string Key, ParityMatch Match, DivergenceCause? Cause, OrderSide Side, decimal Price, decimal Quantity)
{
    /// <summary>Live's client order id.</summary>
    public string? LiveClientOrderId { get; init; }

    /// <summary>Live's final status.</summary>
    public OrderStatus? LiveStatus { get; init; }

    /// <summary>Live's executed quantity.</summary>
    public decimal? LiveExecuted { get; init; }

    /// <summary>Market time of the last trade live had received when it decided the order.</summary>
    public DateTimeOffset? LiveDecidedAt { get; init; }

    /// <summary>The replay's client order id.</summary>
    public string? ReplayClientOrderId { get; init; }

    /// <summary>The replay's final status.</summary>
    public OrderStatus? ReplayStatus { get; init; }

    /// <summary>The replay's executed quantity.</summary>
    public decimal? ReplayExecuted { get; init; }

    /// <summary>Market time of the trade that decided the replay's order.</summary>
    public DateTimeOffset? ReplayDecidedAt { get; init; }

    /// <summary>
    /// The key of the earlier divergence of the same trader whose cause this one inherits (nothing else explains it:
    /// once a trader's orders part, its later ones differ for the same reason); null when the cause is its own.
    /// </summary>
    public string? InheritedFrom { get; init; }

    /// <summary>For a <see cref="DivergenceCause.Latency"/> divergence, why live heard late when the journal says; null otherwise.</summary>
    public LatencyCause? LatencyCause { get; init; }

    /// <summary>What the classification found (the crossing trade, the gap, the restart), for the CSV.</summary>
    public string? Detail { get; init; }
}

/// <summary>A parity report's input that cannot be used (no run marks, no recorded trades); the message names it.</summary>
public sealed class ParityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParityException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What is wrong.</param>
    public ParityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ParityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

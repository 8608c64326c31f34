namespace NaiveStrategy;

/// <summary>What a <see cref="RunMark"/> marks.</summary>
public enum RunMarkKind
{
    /// <summary>The engine started on a symbol (loaded from a store or fresh): its settings and filters then.</summary>
    Start,

    /// <summary>The symbol's settings changed while it ran.</summary>
    Settings,

    /// <summary>An order intent was recorded (the order is about to be sent).</summary>
    Intent,

    /// <summary>An order update was recorded (acknowledgement, fill, cancel, rejection).</summary>
    Update,
}

/// <summary>
/// One point of a live run tied to the market it saw: the last market trade the symbol had received when the
/// engine started, changed its settings, decided an order or heard about one. A parity report replays the
/// recorded trades and uses these marks to put live decisions on the replay's market time.
/// </summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Time">When it happened, by the engine's clock.</param>
public sealed record RunMark(string Symbol, RunMarkKind Kind, DateTimeOffset Time)
{
    /// <summary>
    /// The id of the market trade the mark is tied to: for a BUY's intent the trade that decided it, otherwise the last
    /// trade the symbol had received when the engine took the input; null before the first.
    /// </summary>
    public long? TradeId { get; init; }

    /// <summary>That trade's market time.</summary>
    public DateTimeOffset? MarketTime { get; init; }

    /// <summary>That trade's price.</summary>
    public decimal? MarketPrice { get; init; }

    /// <summary>The settings (for <see cref="RunMarkKind.Start"/> and <see cref="RunMarkKind.Settings"/>).</summary>
    public SymbolSettings? Settings { get; init; }

    /// <summary>The symbol's exchange filters (for <see cref="RunMarkKind.Start"/>, once known).</summary>
    public SymbolFilters? Filters { get; init; }

    /// <summary>The order's client id (for <see cref="RunMarkKind.Intent"/> and <see cref="RunMarkKind.Update"/>).</summary>
    public string? ClientOrderId { get; init; }

    /// <summary>The order's status in the update (for <see cref="RunMarkKind.Update"/>).</summary>
    public OrderStatus? Status { get; init; }

    /// <summary>How the engine learned of the update (for <see cref="RunMarkKind.Update"/>): its <see cref="OrderUpdate.Source"/>.</summary>
    public OrderUpdateSource? Source { get; init; }

    /// <summary>The update's <see cref="OrderUpdate.Reordered"/> (for <see cref="RunMarkKind.Update"/>).</summary>
    public bool Reordered { get; init; }

    /// <summary>
    /// When the exchange produced the update, by its clock (for <see cref="RunMarkKind.Update"/>: <see cref="OrderUpdate.Time"/>);
    /// <see cref="Time"/> less this is how long it took to reach the engine's journal.
    /// </summary>
    public DateTimeOffset? ExchangeTime { get; init; }
}

/// <summary>
/// An append-only journal of <see cref="RunMark"/>s beside a store's order journals (SQLite keeps them in the
/// same file). Written by the recording, read by parity reports.
/// </summary>
public interface IRunJournal
{
    /// <summary>Appends marks, in order, in one write; on disk when it returns.</summary>
    /// <param name="marks">The marks.</param>
    void RecordMarks(IReadOnlyList<RunMark> marks);

    /// <summary>The marks, oldest first.</summary>
    /// <param name="symbol">Only this symbol's; every symbol's when null.</param>
    /// <returns>The marks.</returns>
    IReadOnlyList<RunMark> ReadMarks(string? symbol = null);
}

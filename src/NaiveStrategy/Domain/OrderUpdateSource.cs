namespace NaiveStrategy;

/// <summary>
/// How the engine learned of an <see cref="OrderUpdate"/>: what a parity report needs to say why live heard of a fill
/// late (a lost report learned by query, a reordered stream) rather than only that it did.
/// </summary>
public enum OrderUpdateSource
{
    /// <summary>Not said (an exchange adapter that does not tell, or a journal written before it was kept).</summary>
    Unknown,

    /// <summary>The answer to our own placement or cancel.</summary>
    Answer,

    /// <summary>The exchange's order stream (Binance's <c>executionReport</c>).</summary>
    Stream,

    /// <summary>
    /// An order query: after a placement whose answer was lost (timeout, 5xx), after the order stream reconnected
    /// (the reports sent while it was down are lost), or by reconciliation at a start.
    /// </summary>
    Query,
}

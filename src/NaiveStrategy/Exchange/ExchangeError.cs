namespace NaiveStrategy;

/// <summary>How sure we are about what happened when an exchange call failed.</summary>
public enum ExchangeErrorKind
{
    /// <summary>The exchange refused the request; nothing changed (e.g. filter failure, insufficient balance).</summary>
    Rejected,

    /// <summary>The thing asked about does not exist (e.g. unknown order).</summary>
    NotFound,

    /// <summary>Not executed and safe to retry later (e.g. rate limited, connection refused before sending).</summary>
    Transient,

    /// <summary>The request may or may not have been executed (timeout, 5xx, Binance -1007): query before deciding.</summary>
    Unknown,

    /// <summary>
    /// An order with this client order id already exists (Binance: -2010 "Duplicate order sent."): an earlier
    /// send got through, so the engine queries it instead of treating the order as rejected.
    /// </summary>
    Duplicate,

    /// <summary>
    /// The market does not take orders now (Binance: -2010 "Market is closed.", a symbol in <c>BREAK</c>, <c>HALT</c>
    /// or <c>CANCEL_ONLY</c>): nothing changed; the symbol waits and tries again later.
    /// </summary>
    MarketClosed,
}

/// <summary>An error returned by an exchange, as a value.</summary>
/// <param name="Kind">What the failure means for the request.</param>
/// <param name="Code">The exchange's error code (Binance codes, e.g. -2010), or 0 when there is none.</param>
/// <param name="Message">The exchange's message.</param>
public sealed record ExchangeError(ExchangeErrorKind Kind, int Code, string Message)
{
    /// <summary>
    /// True for a refusal for lack of funds (Binance -2010 "Account has insufficient balance for requested
    /// action", reported as <see cref="ExchangeErrorKind.Rejected"/>; the duplicate -2010 is <see cref="ExchangeErrorKind.Duplicate"/>):
    /// the symbol waits for funds instead of stopping.
    /// </summary>
    public bool IsInsufficientBalance => Kind == ExchangeErrorKind.Rejected && Code == -2010;

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Code}: {Message}";
}

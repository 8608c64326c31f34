namespace NaiveStrategy;

/// <summary>
/// What an exchange failure means for the request. Each adapter maps its own error codes to a kind; the
/// engine acts on the kind only, never on an exchange's code.
/// </summary>
public enum ExchangeErrorKind
{
    /// <summary>The exchange refused the request; nothing changed (e.g. filter failure, unknown symbol).</summary>
    Rejected,

    /// <summary>The thing asked about does not exist (e.g. unknown order).</summary>
    NotFound,

    /// <summary>Not executed and safe to retry later (e.g. rate limited, connection refused before sending).</summary>
    Transient,

    /// <summary>The request may or may not have been executed (timeout, server error): query before deciding.</summary>
    Unknown,

    /// <summary>
    /// An order with this client order id already exists: an earlier send got through, so the engine queries
    /// it instead of treating the order as rejected.
    /// </summary>
    Duplicate,

    /// <summary>
    /// The exchange refused an order the account cannot pay for; nothing changed. The order's trader ends, but
    /// its symbol waits for funds instead of stopping.
    /// </summary>
    InsufficientFunds,

    /// <summary>
    /// The market does not take orders now (Binance: -2010 "Market is closed.", trading disabled for the symbol,
    /// the account or the API): nothing changed. A refusal like any other, never read as a lack of funds.
    /// </summary>
    MarketClosed,
}

/// <summary>An error returned by an exchange, as a value.</summary>
/// <param name="Kind">What the failure means for the request: the only part the engine acts on.</param>
/// <param name="Code">The exchange's own error code, for logs and reports, or 0 when there is none.</param>
/// <param name="Message">The exchange's message.</param>
public sealed record ExchangeError(ExchangeErrorKind Kind, int Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Code}: {Message}";
}

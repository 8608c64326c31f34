namespace NaiveStrategy.Binance;

/// <summary>
/// Binance's -2010 (NEW_ORDER_REJECTED) carries several refusals under one code, told apart only by the message:
/// a duplicate client order id, a lack of funds, a closed market or disabled trading, and other refusals.
/// </summary>
internal static class BinanceOrderRejection
{
    /// <summary>The kind of a -2010 answer with <paramref name="message"/>.</summary>
    public static ExchangeErrorKind Kind(string message) => message switch
    {
        _ when Has(message, "Duplicate order") => ExchangeErrorKind.Duplicate,
        _ when Has(message, "insufficient balance") => ExchangeErrorKind.InsufficientFunds,

        // "Market is closed.", "Rest API trading is not enabled." (and its WebSocket and FIX API variants),
        // "This action is disabled on this account.".
        _ when Has(message, "Market is closed") || Has(message, "trading is not enabled") || Has(message, "action is disabled") => ExchangeErrorKind.MarketClosed,
        _ => ExchangeErrorKind.Rejected,
    };

    private static bool Has(string message, string part) => message.Contains(part, StringComparison.OrdinalIgnoreCase);
}

using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance;

// Never logs a secret: signed query strings are not logged, only paths.
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Warning, "Binance {Method} {Path} failed: {Error}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, ExchangeError error);

    [LoggerMessage(102, LogLevel.Warning, "Binance rate limit: HTTP {Status}, {What} is sent before {Until}")]
    public static partial void Backoff(ILogger logger, int status, string what, DateTimeOffset until);

    [LoggerMessage(103, LogLevel.Information, "Binance limit {Limit} nearly used in the current window: waiting {Delay}")]
    public static partial void Throttle(ILogger logger, string limit, TimeSpan delay);

    [LoggerMessage(104, LogLevel.Information, "Binance server time offset {Offset} ms")]
    public static partial void TimeOffset(ILogger logger, long offset);

    [LoggerMessage(106, LogLevel.Warning, "Binance {Stream} stream disconnected ({Reason}); reconnecting in {Delay}")]
    public static partial void Reconnecting(ILogger logger, string stream, string reason, TimeSpan delay);

    [LoggerMessage(116, LogLevel.Information, "Binance {Stream} stream disconnected ({Reason}) after its handover; not reconnecting")]
    public static partial void NotReconnecting(ILogger logger, string stream, string reason);

    [LoggerMessage(107, LogLevel.Information, "Binance {Stream} stream connected")]
    public static partial void Connected(ILogger logger, string stream);

    [LoggerMessage(109, LogLevel.Debug, "Binance user data stream subscribed; querying {Count} order(s) whose end it has not reported")]
    public static partial void Subscribed(ILogger logger, int count);

    [LoggerMessage(110, LogLevel.Information, "Binance has no order {ClientOrderId} on {Symbol}: no longer watched for the user data stream")]
    public static partial void OrderNotWatched(ILogger logger, string clientOrderId, string symbol);

    [LoggerMessage(111, LogLevel.Information, "Binance {Stream} handed over to a new connection ({Reason}): {Count} stream(s), the old connection closes once they are subscribed")]
    public static partial void HandingOver(ILogger logger, string stream, string reason, int count);

    [LoggerMessage(115, LogLevel.Information, "Binance {Stream} handover done: the old connection is closed, the new one delivers")]
    public static partial void HandedOver(ILogger logger, string stream);

    [LoggerMessage(108, LogLevel.Warning, "Binance {Stream} message ignored: {Reason}")]
    public static partial void BadMessage(ILogger logger, string stream, string reason);

    [LoggerMessage(112, LogLevel.Warning, "Binance lists {Symbol} as {Status}: {Consequence}")]
    public static partial void SymbolStatus(ILogger logger, string symbol, string status, string consequence);

    [LoggerMessage(113, LogLevel.Information, "Binance changed the filters of {Symbol}: orders are checked against the new ones")]
    public static partial void FiltersChanged(ILogger logger, string symbol);

    [LoggerMessage(114, LogLevel.Error, "Binance refused the API key or signature ({Code}: {Message}): nothing is traded until it is accepted")]
    public static partial void KeyRejected(ILogger logger, int code, string message);
}

using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance.Sandbox.Internal;

// Never logs keys, secrets or signatures.
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Binance sandbox listening: REST {RestUrl}, WebSocket API {WebSocketApiUrl}, streams {StreamUrl}")]
    public static partial void Listening(ILogger logger, string restUrl, string webSocketApiUrl, string streamUrl);

    [LoggerMessage(2, LogLevel.Debug, "Request rejected with {Code}: {Message}")]
    public static partial void Rejected(ILogger logger, int code, string message);

    [LoggerMessage(3, LogLevel.Information, "Fault injected: {Fault}")]
    public static partial void FaultInjected(ILogger logger, string fault);

    [LoggerMessage(4, LogLevel.Debug, "Order {OrderId} placed for {Symbol} ({ClientOrderId})")]
    public static partial void OrderPlaced(ILogger logger, long orderId, string symbol, string clientOrderId);

    [LoggerMessage(5, LogLevel.Debug, "{Kind} WebSocket connection opened")]
    public static partial void SocketOpened(ILogger logger, SandboxSocketKinds kind);

    [LoggerMessage(6, LogLevel.Debug, "{Kind} WebSocket connection closed")]
    public static partial void SocketClosed(ILogger logger, SandboxSocketKinds kind);

    [LoggerMessage(7, LogLevel.Information, "Dropping {Count} WebSocket connection(s) ({Kinds})")]
    public static partial void Dropping(ILogger logger, int count, SandboxSocketKinds kinds);

    [LoggerMessage(8, LogLevel.Information, "Replay finished: {Count} trade(s)")]
    public static partial void ReplayFinished(ILogger logger, int count);

    [LoggerMessage(9, LogLevel.Warning, "{Kind} WebSocket connection is a slow consumer (send queue over {MaxMessages} messages or {MaxBytes} bytes): queue dropped, closing")]
    public static partial void SlowConsumer(ILogger logger, SandboxSocketKinds kind, int maxMessages, long maxBytes);

    [LoggerMessage(10, LogLevel.Error, "Unexpected error handling a {Face} request")]
    public static partial void UnexpectedError(ILogger logger, string face, Exception exception);
}

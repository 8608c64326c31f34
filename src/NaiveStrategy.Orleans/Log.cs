using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Orleans;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Symbol}: Leader activated on {Silo} (saved: {Traders} traders, status {Status})")]
    public static partial void Activated(ILogger logger, string symbol, string silo, int traders, SymbolStatus status);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Symbol}: Leader deactivated on {Silo} ({Reason})")]
    public static partial void Deactivated(ILogger logger, string symbol, string silo, DeactivationReasonCode reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Symbol}: {Reason}; the activation is given up")]
    public static partial void Fenced(ILogger logger, string symbol, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Keeper: cannot read the started symbols ({Error}); trying again")]
    public static partial void KeeperFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Keeper: {Symbol} did not answer ({Error}); trying again")]
    public static partial void PingFailed(ILogger logger, string symbol, string error);
}

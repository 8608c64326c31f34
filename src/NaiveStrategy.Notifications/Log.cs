using System.Net;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Notifications;

// Never a URL or a token here: both are secrets. Event ids 9001-9099 belong to notifications.
internal static partial class Log
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Notifications to {Targets}")]
    public static partial void Started(ILogger logger, string targets);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Notification target {Target} answered {StatusCode} to a {Kind} notification after {Attempts} attempt(s); it is dropped")]
    public static partial void Refused(ILogger logger, string target, HttpStatusCode statusCode, string kind, int attempts);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Notification target {Target} could not be reached for a {Kind} notification ({Error}); it is dropped")]
    public static partial void Unreachable(ILogger logger, string target, string kind, string error);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Warning, Message = "Notification target {Target} is behind: its queue of {Capacity} is full, new notifications are dropped until it catches up")]
    public static partial void QueueFull(ILogger logger, string target, int capacity);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Debug, Message = "Notification target {Target} got a {Kind} notification")]
    public static partial void Delivered(ILogger logger, string target, string kind);
}

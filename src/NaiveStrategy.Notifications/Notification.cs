namespace NaiveStrategy.Notifications;

/// <summary>One message for the targets: what kind of event, about which symbol (null for the engine), when, and its text.</summary>
internal sealed record Notification(NotificationEvents Kind, string? Symbol, DateTimeOffset Time, string Text)
{
    /// <summary>The kind's name in a JSON body: <c>fill</c>, <c>cycle</c>, <c>guard</c>, <c>stop</c>, <c>error</c>, <c>readiness</c>.</summary>
    public string KindName => Kind switch
    {
        NotificationEvents.Fills => "fill",
        NotificationEvents.Cycles => "cycle",
        NotificationEvents.Guards => "guard",
        NotificationEvents.Stops => "stop",
        NotificationEvents.Errors => "error",
        _ => "readiness",
    };
}

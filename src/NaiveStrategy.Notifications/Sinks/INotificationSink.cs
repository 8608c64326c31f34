namespace NaiveStrategy.Notifications.Sinks;

/// <summary>How one kind of target turns a notification into an HTTP request (one fresh request per attempt).</summary>
internal interface INotificationSink
{
    /// <summary>The target's name, for logs.</summary>
    string Name { get; }

    /// <summary>What the target hears about.</summary>
    NotificationEvents Events { get; }

    HttpRequestMessage CreateRequest(Notification notification);
}

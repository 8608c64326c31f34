using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Notifications.Sinks;

/// <summary>A JSON POST to a webhook URL, its body plain JSON, Slack's <c>{"text"}</c> or Discord's <c>{"content"}</c>.</summary>
internal sealed class WebhookSink(string name, Uri url, WebhookFormat format, NotificationEvents events) : INotificationSink
{
    // Discord refuses a content longer than 2,000 characters; Slack truncates past 40,000.
    private const int DiscordLimit = 2000;

    public string Name => name;

    public NotificationEvents Events => events;

    public HttpRequestMessage CreateRequest(Notification notification)
    {
        var body = format switch
        {
            WebhookFormat.Slack => new JsonObject { ["text"] = notification.Text },
            WebhookFormat.Discord => new JsonObject { ["content"] = notification.Text.Length <= DiscordLimit ? notification.Text : notification.Text[..DiscordLimit] },
            _ => new JsonObject
            {
                ["kind"] = notification.KindName,
                ["symbol"] = notification.Symbol,
                ["time"] = notification.Time.ToString("O", CultureInfo.InvariantCulture),
                ["text"] = notification.Text,
            },
        };
        return new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    /// <summary>Never the URL: it is the webhook's secret.</summary>
    public override string ToString() => $"webhook {name}";
}

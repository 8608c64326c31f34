using System.Text;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Notifications.Sinks;

/// <summary>The Telegram Bot API's <c>sendMessage</c>: <c>POST {api}/bot{token}/sendMessage</c> with <c>{"chat_id","text"}</c>.</summary>
internal sealed class TelegramSink : INotificationSink
{
    // Telegram refuses a message longer than 4,096 characters.
    private const int MessageLimit = 4096;

    private readonly Uri _sendMessage;
    private readonly string _chatId;

    public TelegramSink(string name, Uri apiBase, string token, string chatId, NotificationEvents events)
    {
        Name = name;
        Events = events;
        _chatId = chatId;
        _sendMessage = new Uri($"{apiBase.AbsoluteUri.TrimEnd('/')}/bot{token}/sendMessage");
    }

    public string Name { get; }

    public NotificationEvents Events { get; }

    public HttpRequestMessage CreateRequest(Notification notification)
    {
        var text = notification.Text.Length <= MessageLimit ? notification.Text : notification.Text[..MessageLimit];
        var body = new JsonObject { ["chat_id"] = _chatId, ["text"] = text, ["disable_web_page_preview"] = true };
        return new HttpRequestMessage(HttpMethod.Post, _sendMessage) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    /// <summary>Never the URL: it holds the bot token.</summary>
    public override string ToString() => $"telegram {Name}";
}

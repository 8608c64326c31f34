namespace NaiveStrategy.Notifications;

/// <summary>
/// Options of the engine's notifications (<c>services.AddNaiveStrategyNotifications(…)</c>), validated at start.
/// Secrets (webhook URLs, the Telegram bot token) are never options: each target names the environment variable
/// that holds its secret, read once at start.
/// </summary>
public sealed class NaiveStrategyNotificationOptions
{
    /// <summary>Webhooks: each gets a JSON POST per notification (plain JSON, Slack's or Discord's body).</summary>
    public IList<WebhookNotificationOptions> Webhooks { get; } = [];

    /// <summary>Telegram chats: each gets a <c>sendMessage</c> call of the Bot API per notification.</summary>
    public IList<TelegramNotificationOptions> Telegram { get; } = [];

    /// <summary>
    /// Notifications each target may hold while it is slow or down; more are dropped and counted
    /// (<see cref="NaiveStrategyNotifier.Dropped"/>): the engine never waits for a target.
    /// </summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>At most this many notifications a minute per target (a token bucket; the rest wait in the queue).</summary>
    public int MaxPerMinute { get; set; } = 20;

    /// <summary>Attempts per notification, the first included: timeouts, network errors, 408, 429 and 5xx are tried again.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first delay between attempts (doubled each time, with jitter); a 429's <c>Retry-After</c> wins when given.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between attempts, a <c>Retry-After</c> included.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one HTTP attempt may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Names the targets, never their secrets: options may end up in logs.</summary>
    public override string ToString() =>
        $"NaiveStrategyNotificationOptions (webhooks: {string.Join(", ", Webhooks.Select(w => w.Name))}; telegram: {string.Join(", ", Telegram.Select(t => t.Name))})";
}

/// <summary>How a webhook's JSON body is shaped.</summary>
public enum WebhookFormat
{
    /// <summary><c>{"kind":"fill","symbol":"XRPUSDT","time":"…","text":"…"}</c>.</summary>
    Json,

    /// <summary>Slack's incoming webhooks (and Mattermost's, Rocket.Chat's): <c>{"text":"…"}</c>.</summary>
    Slack,

    /// <summary>Discord's webhooks: <c>{"content":"…"}</c>.</summary>
    Discord,
}

/// <summary>One webhook target.</summary>
public sealed class WebhookNotificationOptions
{
    /// <summary>The target's name, in logs (its URL never is: a webhook URL is a secret).</summary>
    public string Name { get; set; } = "";

    /// <summary>The environment variable holding the webhook's absolute http(s) URL, e.g. <c>NAIVE_SLACK_WEBHOOK_URL</c>.</summary>
    public string UrlVariable { get; set; } = "";

    /// <summary>The body's shape.</summary>
    public WebhookFormat Format { get; set; } = WebhookFormat.Json;

    /// <summary>What this target hears about.</summary>
    public NotificationEvents Events { get; set; } = NotificationEvents.All;

    /// <summary>Names the target and its variable, never the URL.</summary>
    public override string ToString() => $"webhook {Name} ({Format}, URL from {UrlVariable})";
}

/// <summary>One Telegram chat, through a bot (Bot API <c>sendMessage</c>).</summary>
public sealed class TelegramNotificationOptions
{
    /// <summary>The environment variable the bot token is read from by default.</summary>
    public const string DefaultTokenVariable = "NAIVE_TELEGRAM_TOKEN";

    /// <summary>The target's name, in logs.</summary>
    public string Name { get; set; } = "telegram";

    /// <summary>The environment variable holding the bot token (<c>123456:ABC…</c>).</summary>
    public string TokenVariable { get; set; } = DefaultTokenVariable;

    /// <summary>The chat to write to: its numeric id or <c>@channelusername</c>.</summary>
    public string ChatId { get; set; } = "";

    /// <summary>The Bot API's address (tests point it at a local imitation).</summary>
    public Uri ApiBase { get; set; } = new("https://api.telegram.org");

    /// <summary>What this target hears about.</summary>
    public NotificationEvents Events { get; set; } = NotificationEvents.All;

    /// <summary>Names the target and its chat, never the token.</summary>
    public override string ToString() => $"telegram {Name} (chat {ChatId}, token from {TokenVariable})";
}

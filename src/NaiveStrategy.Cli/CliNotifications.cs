using Microsoft.Extensions.DependencyInjection;
using NaiveStrategy.Notifications;

namespace NaiveStrategy.Cli;

/// <summary>
/// Notifications for paper and live, from the environment only (nothing when none is set):
/// <c>NAIVE_WEBHOOK_URL</c> (plain JSON), <c>NAIVE_SLACK_WEBHOOK_URL</c>, <c>NAIVE_DISCORD_WEBHOOK_URL</c>, and
/// <c>NAIVE_TELEGRAM_TOKEN</c> with <c>NAIVE_TELEGRAM_CHAT_ID</c>. Each hears every kind of event.
/// </summary>
internal static class CliNotifications
{
    public const string TelegramChatVariable = "NAIVE_TELEGRAM_CHAT_ID";

    private static readonly (string Variable, WebhookFormat Format)[] Webhooks =
    [
        ("NAIVE_WEBHOOK_URL", WebhookFormat.Json),
        ("NAIVE_SLACK_WEBHOOK_URL", WebhookFormat.Slack),
        ("NAIVE_DISCORD_WEBHOOK_URL", WebhookFormat.Discord),
    ];

    public static IServiceCollection AddSampleNotifications(this IServiceCollection services)
    {
        var hooks = Webhooks.Where(w => IsSet(w.Variable)).ToArray();
        var telegram = IsSet(TelegramNotificationOptions.DefaultTokenVariable) || IsSet(TelegramChatVariable);
        if (hooks.Length == 0 && !telegram)
        {
            return services;
        }

        return services.AddNaiveStrategyNotifications(o =>
        {
            foreach (var (variable, format) in hooks)
            {
                o.Webhooks.Add(new WebhookNotificationOptions { Name = format.ToString().ToLowerInvariant(), UrlVariable = variable, Format = format });
            }

            if (telegram)
            {
                // Validated at start: a token without a chat (or the reverse) is one clear error naming what is missing.
                o.Telegram.Add(new TelegramNotificationOptions { ChatId = Environment.GetEnvironmentVariable(TelegramChatVariable) ?? "" });
            }
        });
    }

    private static bool IsSet(string variable) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable));
}

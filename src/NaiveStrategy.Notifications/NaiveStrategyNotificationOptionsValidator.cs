using Microsoft.Extensions.Options;

namespace NaiveStrategy.Notifications;

/// <summary>
/// Checks the numbers, that every target has a unique name, and that each secret's variable is set and well formed
/// (a message names the variable, never its value).
/// </summary>
internal sealed class NaiveStrategyNotificationOptionsValidator : IValidateOptions<NaiveStrategyNotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NaiveStrategyNotificationOptions options)
    {
        var errors = new List<string>();
        if (options.QueueCapacity < 1)
        {
            errors.Add($"Notifications: QueueCapacity must be >= 1, got {options.QueueCapacity}.");
        }

        if (options.MaxPerMinute < 1)
        {
            errors.Add($"Notifications: MaxPerMinute must be >= 1, got {options.MaxPerMinute}.");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"Notifications: MaxAttempts must be between 1 and 100, got {options.MaxAttempts}.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay)
        {
            errors.Add($"Notifications: RetryDelay must be > 0 and <= MaxRetryDelay, got {options.RetryDelay} and {options.MaxRetryDelay}.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"Notifications: Timeout must be > 0, got {options.Timeout}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hook in options.Webhooks)
        {
            CheckName(hook.Name, "webhook", names, errors);
            var url = Secret(hook.UrlVariable, $"webhook {hook.Name}", "UrlVariable", errors);
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            {
                errors.Add($"Notifications: webhook {hook.Name}: {hook.UrlVariable} must hold an absolute http(s) URL.");
            }
        }

        foreach (var chat in options.Telegram)
        {
            CheckName(chat.Name, "telegram", names, errors);
            var token = Secret(chat.TokenVariable, $"telegram {chat.Name}", "TokenVariable", errors);
            if (token is not null && (token.Any(char.IsWhiteSpace) || token.Contains('/', StringComparison.Ordinal)))
            {
                errors.Add($"Notifications: telegram {chat.Name}: {chat.TokenVariable} must hold a bot token (no spaces or '/').");
            }

            if (string.IsNullOrWhiteSpace(chat.ChatId))
            {
                errors.Add($"Notifications: telegram {chat.Name}: ChatId is required.");
            }

            if (chat.ApiBase is null || !chat.ApiBase.IsAbsoluteUri)
            {
                errors.Add($"Notifications: telegram {chat.Name}: ApiBase must be an absolute URL.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckName(string name, string kind, HashSet<string> names, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add($"Notifications: every {kind} target needs a Name.");
        }
        else if (!names.Add(name))
        {
            errors.Add($"Notifications: the target name '{name}' is used twice.");
        }
    }

    private static string? Secret(string variable, string target, string option, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(variable))
        {
            errors.Add($"Notifications: {target}: {option} must name an environment variable.");
            return null;
        }

        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"Notifications: {target}: the environment variable {variable} is not set.");
            return null;
        }

        return value.Trim();
    }
}

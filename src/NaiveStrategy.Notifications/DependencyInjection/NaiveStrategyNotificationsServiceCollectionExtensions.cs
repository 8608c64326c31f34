using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaiveStrategy;
using NaiveStrategy.Notifications;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the notifications of a NaiveStrategy engine.</summary>
public static class NaiveStrategyNotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="NaiveStrategyNotifier"/>, started with the host before the engine: options validated at start
    /// (every target's secret variable set), an <see cref="HttpClient"/> named
    /// <see cref="NaiveStrategyNotifier.HttpClientName"/> without request logs (a webhook URL or a bot token is a secret).
    /// </summary>
    /// <param name="builder">The builder <c>AddNaiveStrategy()</c> returned.</param>
    /// <param name="configure">Targets and delivery options.</param>
    public static NaiveStrategyBuilder AddNotifications(this NaiveStrategyBuilder builder, Action<NaiveStrategyNotificationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddNaiveStrategyNotifications(configure);
        return builder;
    }

    /// <summary>Adds the notifications (see <see cref="AddNotifications(NaiveStrategyBuilder, Action{NaiveStrategyNotificationOptions})"/>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Targets and delivery options.</param>
    public static IServiceCollection AddNaiveStrategyNotifications(this IServiceCollection services, Action<NaiveStrategyNotificationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<NaiveStrategyNotificationOptions>().Configure(configure).ValidateOnStart();
        return AddCore(services);
    }

    /// <summary>
    /// Adds the notifications bound from configuration (e.g. the section <c>NaiveStrategy:Notifications</c>; unknown
    /// keys refused): <c>Webhooks</c>, <c>Telegram</c>, <c>QueueCapacity</c>, <c>MaxPerMinute</c>, <c>MaxAttempts</c>,
    /// <c>RetryDelay</c>, <c>MaxRetryDelay</c>, <c>Timeout</c>. Secrets stay in the environment.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section.</param>
    public static IServiceCollection AddNaiveStrategyNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NaiveStrategyNotificationOptions>().Bind(configuration, o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        return AddCore(services);
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NaiveStrategyNotificationOptions>, NaiveStrategyNotificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(NaiveStrategyNotifier.HttpClientName).RemoveAllLoggers();
        services.TryAddSingleton(sp => new NaiveStrategyNotifier(
            sp.GetRequiredService<NaiveStrategyEngine>(),
            sp.GetRequiredService<IOptions<NaiveStrategyNotificationOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NotificationsHostedService>());
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NaiveStrategy;
using NaiveStrategy.AspNetCore;
using OpenTelemetry.Metrics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the control API of a NaiveStrategy engine.</summary>
public static class NaiveStrategyApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds what <c>app.MapNaiveStrategy()</c> serves: the API's options (token from
    /// <see cref="NaiveStrategyApiOptions.TokenVariable"/> or generated; validated at start), the health
    /// checks (<c>engine</c>, tagged <c>ready</c>) and OpenTelemetry metrics of the engine's meter with a
    /// Prometheus exporter. The engine itself comes from <c>AddNaiveStrategy()</c>.
    /// </summary>
    public static IServiceCollection AddNaiveStrategyApi(this IServiceCollection services, Action<NaiveStrategyApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<NaiveStrategyApiOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<NaiveStrategyApiOptions>, NaiveStrategyApiTokenSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NaiveStrategyApiOptions>, NaiveStrategyApiOptionsValidator>());
        services.TryAddSingleton<BearerToken>();
        services.AddHealthChecks().AddCheck<EngineReadinessCheck>("engine", tags: [EngineReadinessCheck.Tag]);
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(NaiveStrategyMetrics.MeterName).AddPrometheusExporter());
        return services;
    }
}

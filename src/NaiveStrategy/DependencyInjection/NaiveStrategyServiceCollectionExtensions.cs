using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NaiveStrategy;
using NaiveStrategy.Engine;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the NaiveStrategy engine.</summary>
public static class NaiveStrategyServiceCollectionExtensions
{
    /// <summary>
    /// Adds the strategy engine, its options (validated at start) and a hosted service that autostarts
    /// symbols whose status is on. Add an exchange with the returned builder. Registrations use TryAdd,
    /// so anything registered before (a <see cref="TimeProvider"/>, a <see cref="TraderIdGenerator"/>) wins.
    /// </summary>
    public static NaiveStrategyBuilder AddNaiveStrategy(this IServiceCollection services, Action<NaiveStrategyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<NaiveStrategyOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NaiveStrategyOptions>, NaiveStrategyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TraderIdGenerator(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<NaiveStrategyEngine>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NaiveStrategyHostedService>());
        return new NaiveStrategyBuilder(services);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NaiveStrategy;
using NaiveStrategy.Orleans;

namespace Orleans.Hosting;

/// <summary>Hosting NaiveStrategy in an Orleans cluster.</summary>
public static class NaiveStrategySiloBuilderExtensions
{
    /// <summary>
    /// Hosts the symbols' Leader grains in this silo: each runs the strategy for its symbol against this silo's exchange
    /// adapter (chain <c>.AddBinanceExchange(…)</c> or an in-memory exchange on the returned builder), saving its state
    /// in the grain storage named by <see cref="NaiveStrategyOrleansOptions.StorageName"/> before any order is sent.
    /// The symbols configured with status On start on their own, each on one silo of the cluster; give every silo the
    /// same configuration and the same storage.
    /// </summary>
    public static NaiveStrategyBuilder AddNaiveStrategy(this ISiloBuilder builder, Action<NaiveStrategyOptions>? configure = null, Action<NaiveStrategyOrleansOptions>? configureOrleans = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var strategy = services.AddOptions<NaiveStrategyOptions>().ValidateOnStart();
        if (configure is not null)
        {
            strategy.Configure(configure);
        }

        var orleans = services.AddOptions<NaiveStrategyOrleansOptions>().ValidateOnStart();
        if (configureOrleans is not null)
        {
            orleans.Configure(configureOrleans);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NaiveStrategyOptions>, NaiveStrategyOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NaiveStrategyOrleansOptions>, NaiveStrategyOrleansOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TraderIdGenerator(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<SymbolEngines>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SymbolKeeper>());
        NaiveStrategySerialization.Add(services);
        return new NaiveStrategyBuilder(services);
    }

    /// <summary>Lets an Orleans client call the symbols' Leaders (<see cref="NaiveStrategyGrainFactoryExtensions.GetSymbolLeader"/>).</summary>
    public static IClientBuilder AddNaiveStrategy(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        NaiveStrategySerialization.Add(builder.Services);
        return builder;
    }
}

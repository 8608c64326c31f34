using Microsoft.Extensions.DependencyInjection.Extensions;
using NaiveStrategy;
using NaiveStrategy.Mock;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory exchange.</summary>
public static class MockExchangeBuilderExtensions
{
    /// <summary>
    /// Uses an <see cref="InMemoryExchange"/> as the engine's <see cref="IExchange"/>. It is also the
    /// market data, unless market data was added before (e.g. <c>AddBinanceMarketData()</c>): then those
    /// trades pass through the in-memory exchange first (<see cref="MatchedMarketData"/>), which is paper trading.
    /// </summary>
    /// <param name="builder">The strategy builder.</param>
    /// <param name="configure">Symbols, balances, fees.</param>
    /// <param name="useMarketClock">Run the engine on the exchange's market time (backtests).</param>
    public static NaiveStrategyBuilder AddMockExchange(this NaiveStrategyBuilder builder, Action<InMemoryExchangeOptions> configure, bool useMarketClock = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.TryAddSingleton(_ =>
        {
            var options = new InMemoryExchangeOptions();
            configure(options);
            return new InMemoryExchange(options);
        });
        services.TryAddSingleton<IExchange>(sp => sp.GetRequiredService<InMemoryExchange>());
        var external = services.LastOrDefault(d => d.ServiceType == typeof(IMarketData));
        if (external is null)
        {
            services.TryAddSingleton<IMarketData>(sp => sp.GetRequiredService<InMemoryExchange>());
        }
        else
        {
            services.Remove(external);
            services.AddSingleton<IMarketData>(sp => new MatchedMarketData((IMarketData)Resolve(sp, external), sp.GetRequiredService<InMemoryExchange>()));
        }

        if (useMarketClock)
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(sp => sp.GetRequiredService<InMemoryExchange>().Clock));
        }

        return builder;
    }

    private static object Resolve(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using NaiveStrategy;
using NaiveStrategy.Mock;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory exchange.</summary>
public static class MockExchangeBuilderExtensions
{
    /// <summary>
    /// Uses an <see cref="InMemoryExchange"/> as the <see cref="IExchange"/>. With
    /// <paramref name="useMarketClock"/> the engine's <see cref="TimeProvider"/> becomes the exchange's
    /// <see cref="MarketClock"/>, so a replay runs on market time (deterministic output).
    /// </summary>
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
        if (useMarketClock)
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(sp => sp.GetRequiredService<InMemoryExchange>().Clock));
        }

        return builder;
    }
}

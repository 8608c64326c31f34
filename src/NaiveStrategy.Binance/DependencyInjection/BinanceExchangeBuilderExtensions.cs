using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaiveStrategy;
using NaiveStrategy.Binance;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Binance adapter.</summary>
public static class BinanceExchangeBuilderExtensions
{
    /// <summary>
    /// Trades on Binance: <see cref="BinanceExchange"/> as the engine's <see cref="IExchange"/> and, unless
    /// market data was added before, as its <see cref="IMarketData"/> too. Options are validated at start.
    /// </summary>
    public static NaiveStrategyBuilder AddBinanceExchange(this NaiveStrategyBuilder builder, Action<BinanceExchangeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<BinanceExchangeOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BinanceExchangeOptions>, BinanceExchangeOptionsValidator>());
        services.TryAddSingleton(sp => new BinanceExchange(
            new HttpClient(),
            sp.GetRequiredService<IOptions<BinanceExchangeOptions>>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IExchange>(sp => sp.GetRequiredService<BinanceExchange>());
        services.TryAddSingleton<IMarketData>(sp => sp.GetRequiredService<BinanceExchange>());
        return builder;
    }

    /// <summary>
    /// Binance's public trade streams as the engine's <see cref="IMarketData"/>; no keys. Followed by
    /// <c>AddMockExchange(…)</c>, this is paper trading: real prices, fills simulated in memory.
    /// </summary>
    public static NaiveStrategyBuilder AddBinanceMarketData(this NaiveStrategyBuilder builder, Action<BinanceMarketDataOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<BinanceMarketDataOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BinanceMarketDataOptions>, BinanceMarketDataOptionsValidator>());
        services.TryAddSingleton(sp => new BinanceMarketData(
            sp.GetRequiredService<IOptions<BinanceMarketDataOptions>>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IMarketData>(sp => sp.GetRequiredService<BinanceMarketData>());
        return builder;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaiveStrategy;
using NaiveStrategy.Binance;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Binance adapter.</summary>
public static class BinanceExchangeBuilderExtensions
{
    /// <summary>Uses Binance (testnet unless <see cref="BinanceExchangeOptions.UseTestnet"/> is false) as the <see cref="IExchange"/>; options are validated at start.</summary>
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
        return builder;
    }
}

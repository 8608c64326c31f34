using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
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
    /// market data was added before, as its <see cref="IMarketData"/> too. Options are validated at start
    /// (an API key and one signing key are required: SecretKey, PrivateKey or PrivateKeyFile, the last by default from NAIVE_BINANCE_PRIVATE_KEY_FILE). The adapter's <see cref="HttpClient"/> is a typed client of
    /// <c>AddHttpClient</c> named <see cref="BinanceExchange.HttpClientName"/>: add handlers or a proxy with
    /// <c>services.AddHttpClient(BinanceExchange.HttpClientName).AddHttpMessageHandler(…)</c> or
    /// <c>ConfigurePrimaryHttpMessageHandler(…)</c>.
    /// </summary>
    public static NaiveStrategyBuilder AddBinanceExchange(this NaiveStrategyBuilder builder, Action<BinanceExchangeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<BinanceExchangeOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddExchange(builder);
    }

    /// <summary>
    /// Trades on Binance with options bound from <paramref name="configuration"/> (e.g.
    /// <c>builder.Configuration.GetSection("Binance")</c>: <c>ApiKey</c>, <c>SecretKey</c>, <c>UseTestnet</c>,
    /// <c>RestBaseUrl</c>…), then changed by <paramref name="configure"/>; a key that matches no option is an
    /// error at start. Keep the keys in environment variables or user secrets (<c>Binance__SecretKey</c>), not in appsettings.json.
    /// </summary>
    public static NaiveStrategyBuilder AddBinanceExchange(this NaiveStrategyBuilder builder, IConfiguration configuration, Action<BinanceExchangeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = builder.Services.AddOptions<BinanceExchangeOptions>().Bind(configuration, o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddExchange(builder);
    }

    private static NaiveStrategyBuilder AddExchange(NaiveStrategyBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BinanceExchangeOptions>().PostConfigure(static o => o.ApplyEnvironment(Environment.GetEnvironmentVariable));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BinanceExchangeOptions>, BinanceExchangeOptionsValidator>());
        if (!services.Any(d => d.ServiceType == typeof(BinanceExchange)))
        {
            // One adapter per provider (it holds the streams) whose HttpClient comes from the factory: the
            // handler lives as long as the adapter, so connections are recycled by the pool instead (DNS changes).
            services.AddHttpClient<BinanceExchange>(BinanceExchange.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
            services.Replace(ServiceDescriptor.Singleton(static sp => sp.GetRequiredService<ITypedHttpClientFactory<BinanceExchange>>()
                .CreateClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(BinanceExchange.HttpClientName))));
        }

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

using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
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

        return AddCore(services);
    }

    /// <summary>
    /// Adds the strategy engine with its options bound from <paramref name="configuration"/> (e.g.
    /// <c>builder.Configuration.GetSection("NaiveStrategy")</c>: <c>Symbols</c> as an array of
    /// <see cref="SymbolSettings"/>, <c>MaxRetryDelay</c> as <c>00:00:30</c>…), then changed by
    /// <paramref name="configure"/>. A key that matches no option is an error, like an invalid value;
    /// both are reported when the host starts. A symbol's <see cref="SymbolSettings.Status"/> is
    /// <see cref="SymbolStatus.On"/> unless the configuration says otherwise, as with <see cref="NaiveStrategyOptions.AddSymbol"/>.
    /// </summary>
    /// <remarks>Binding reads the options' properties by reflection: in a trimmed or native (AOT) application, configure the options in code instead.</remarks>
    [RequiresUnreferencedCode(ReflectionBinding)]
    [RequiresDynamicCode(ReflectionBinding)]
    public static NaiveStrategyBuilder AddNaiveStrategy(this IServiceCollection services, IConfiguration configuration, Action<NaiveStrategyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = services.AddOptions<NaiveStrategyOptions>().Bind(configuration, o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddCore(services);
    }

    private const string ReflectionBinding = "Binds NaiveStrategyOptions from configuration by reflection, which trimming and native AOT cannot keep; use AddNaiveStrategy(configure) there.";

    private static NaiveStrategyBuilder AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NaiveStrategyOptions>, NaiveStrategyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TraderIdGenerator(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<NaiveStrategyEngine>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NaiveStrategyHostedService>());
        return new NaiveStrategyBuilder(services);
    }
}

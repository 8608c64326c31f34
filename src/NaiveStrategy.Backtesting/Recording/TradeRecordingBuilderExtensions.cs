using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using NaiveStrategy;
using NaiveStrategy.Backtesting.Recording;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the recording of live market trades (<see cref="TradeRecorder"/>).</summary>
public static class TradeRecordingBuilderExtensions
{
    /// <summary>
    /// Records every market trade the engine receives into <paramref name="directory"/> as Binance public-data trade
    /// files, and, when the store keeps a run journal (<see cref="IRunJournal"/>, as the SQLite store does), marks each
    /// start, settings change and order event with the last trade received, for parity reports. Call it after the
    /// exchange and the store are added: it wraps the <see cref="IMarketData"/> and <see cref="IStrategyStore"/> registered then.
    /// </summary>
    /// <param name="builder">The engine's builder.</param>
    /// <param name="directory">Where the trade files go, e.g. <c>recordings</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="IMarketData"/> is registered yet.</exception>
    public static NaiveStrategyBuilder AddTradeRecording(this NaiveStrategyBuilder builder, string directory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var services = builder.Services;
        services.TryAddSingleton(sp => new TradeRecorder(directory, sp.GetService<TimeProvider>(), sp.GetService<ILogger<TradeRecorder>>()));
        var market = services.LastOrDefault(d => d.ServiceType == typeof(IMarketData))
            ?? throw new InvalidOperationException("AddTradeRecording records the engine's market data: add the exchange (or its market data) first.");
        services.Remove(market);
        services.AddSingleton<IMarketData>(sp => new RecordingMarketData((IMarketData)Resolve(sp, market), sp.GetRequiredService<TradeRecorder>()));
        if (services.LastOrDefault(d => d.ServiceType == typeof(IStrategyStore)) is { } store)
        {
            services.Remove(store);
            services.AddSingleton<IStrategyStore>(sp =>
            {
                var inner = (IStrategyStore)Resolve(sp, store);
                return sp.GetService<IRunJournal>() is { } journal
                    ? new MarkingStore(inner, journal, sp.GetRequiredService<TradeRecorder>(), sp.GetService<TimeProvider>() ?? TimeProvider.System)
                    : inner;
            });
        }

        return builder;
    }

    private static object Resolve(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}

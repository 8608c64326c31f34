namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddNaiveStrategy</c> so exchange adapters chain: <c>services.AddNaiveStrategy(…).AddMockExchange(…)</c>.</summary>
public sealed class NaiveStrategyBuilder
{
    /// <summary>A builder over <paramref name="services"/>, for hosts that register the engine their own way (the Orleans silo) and let exchange adapters chain the same.</summary>
    public NaiveStrategyBuilder(IServiceCollection services) => Services = services ?? throw new ArgumentNullException(nameof(services));

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }
}

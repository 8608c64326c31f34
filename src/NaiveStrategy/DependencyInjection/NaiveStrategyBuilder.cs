namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddNaiveStrategy</c> so exchange adapters chain: <c>services.AddNaiveStrategy(…).AddMockExchange(…)</c>.</summary>
public sealed class NaiveStrategyBuilder
{
    internal NaiveStrategyBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }
}

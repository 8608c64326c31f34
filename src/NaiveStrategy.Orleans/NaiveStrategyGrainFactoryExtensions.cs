namespace NaiveStrategy.Orleans;

/// <summary>Reaching the symbols' Leaders from a client or a grain.</summary>
public static class NaiveStrategyGrainFactoryExtensions
{
    /// <summary>The Leader grain of <paramref name="symbol"/> (activated, and restored, by its first call).</summary>
    public static ISymbolLeaderGrain GetSymbolLeader(this IGrainFactory grains, string symbol)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return grains.GetGrain<ISymbolLeaderGrain>(symbol);
    }

    /// <summary>The symbols started in the cluster by a grain call (the silos' configured symbols are not listed).</summary>
    public static Task<IReadOnlyList<string>> GetStartedSymbolsAsync(this IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<ISymbolDirectoryGrain>(0).GetSymbolsAsync();
    }
}

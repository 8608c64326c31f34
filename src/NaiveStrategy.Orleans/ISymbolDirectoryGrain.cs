namespace NaiveStrategy.Orleans;

/// <summary>
/// The symbols started in the cluster (beside the configured ones), kept in grain storage: the silos' keepers ping
/// their Leaders, so a symbol started by a grain call comes back after a failover as a configured one does.
/// </summary>
internal interface ISymbolDirectoryGrain : IGrainWithIntegerKey
{
    Task AddAsync(string symbol);

    Task<IReadOnlyList<string>> GetSymbolsAsync();
}

namespace NaiveStrategy.Orleans;

/// <summary>
/// A symbol's Leader in the cluster, keyed by the symbol (<c>"XRPUSDT"</c>): it runs the symbol's traders in the
/// silo that hosts it, against that silo's exchange adapter. The grain is activated by its first call, by a silo's
/// keeper for every configured or started symbol, and again on another silo when its silo is lost; every activation
/// restores the saved state and reconciles the open orders with the exchange before trading on.
/// Get one with <see cref="NaiveStrategyGrainFactoryExtensions.GetSymbolLeader"/>.
/// </summary>
public interface ISymbolLeaderGrain : IGrainWithStringKey
{
    /// <summary>start_trading with the settings configured in the silos, or those the symbol last ran with.</summary>
    /// <exception cref="ArgumentException">The symbol is neither configured nor ever started.</exception>
    Task StartAsync();

    /// <summary>start_trading with explicit settings (validated; the symbol must be the grain's key).</summary>
    /// <exception cref="ArgumentException">The settings are invalid or name another symbol.</exception>
    Task StartAsync(SymbolSettings settings);

    /// <summary>stop_trading: stops at once; open orders stay on the exchange.</summary>
    Task StopAsync();

    /// <summary>shutdown_trading: no new traders; running ones finish their cycle, then the symbol stops.</summary>
    Task ShutdownAsync();

    /// <summary>Changes the settings new traders use.</summary>
    /// <exception cref="ArgumentException">The settings are invalid or name another symbol.</exception>
    Task UpdateSettingsAsync(SymbolSettings settings);

    /// <summary>The symbol's state as its Leader holds it now, and the silo that hosts it.</summary>
    Task<SymbolLeaderStatus> GetStatusAsync();

    /// <summary>
    /// The intents journal as saved in grain storage: every order this symbol's traders sent or are about to send
    /// (written before sending), oldest first; orders still open and the newest <see cref="NaiveStrategyOrleansOptions.JournalLength"/> others.
    /// </summary>
    Task<IReadOnlyList<OrderIntent>> GetIntentsAsync();

    /// <summary>Activates the grain if it is not (restoring it) and returns; the silos' keeper calls it.</summary>
    Task PingAsync();
}

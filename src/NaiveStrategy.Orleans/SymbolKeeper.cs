using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.Orleans;

/// <summary>
/// Runs in every silo: every <see cref="NaiveStrategyOrleansOptions.KeepAliveInterval"/> it pings the Leader of each
/// configured symbol and of each symbol in the directory (the first round one interval after the silo started). A Leader that is active answers at once; one whose silo was
/// lost is activated again on a silo that is up, where it restores its state and reconciles its orders.
/// </summary>
internal sealed partial class SymbolKeeper(IGrainFactory grains, IOptions<NaiveStrategyOptions> strategy, IOptions<NaiveStrategyOrleansOptions> options, TimeProvider time, ILogger<SymbolKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var configured = strategy.Value.Symbols.Where(s => s.Status == SymbolStatus.On).Select(s => s.Symbol).ToArray();
        using var timer = new PeriodicTimer(options.Value.KeepAliveInterval, time);

        // The first round one interval after start: silos that start together are all up by then, so the Leaders
        // spread over them instead of all landing on the first.
        while (await Next(timer, stoppingToken))
        {
            try
            {
                var started = await grains.GetGrain<ISymbolDirectoryGrain>(0).GetSymbolsAsync().WaitAsync(stoppingToken);
                await Task.WhenAll(configured.Union(started, StringComparer.Ordinal).Select(symbol => PingAsync(symbol, stoppingToken)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
            {
                Log.KeeperFailed(logger, ex.Message);
            }
        }
    }

    private static async Task<bool> Next(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PingAsync(string symbol, CancellationToken stoppingToken)
    {
        try
        {
            await grains.GetSymbolLeader(symbol).PingAsync().WaitAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            Log.PingFailed(logger, symbol, ex.Message);
        }
    }
}

using Microsoft.Extensions.Hosting;

namespace NaiveStrategy.Engine;

// Autostarts symbols whose status is on when the host starts; on host stop, unsubscribes (open orders stay).
internal sealed class NaiveStrategyHostedService(NaiveStrategyEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await engine.DisposeAsync();
}

using Microsoft.Extensions.Hosting;

namespace NaiveStrategy.Engine;

// Autostarts symbols whose status is on when the host starts; an exchange that is down is waited for with
// backoff in the background (the engine's Readiness says so), never a host crash. On host stop, unsubscribes
// (open orders stay).
internal sealed class NaiveStrategyHostedService(NaiveStrategyEngine engine) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A store that cannot be read throws here, before any exchange call: not an outage, it stops the host.
        _starting = engine.StartWithRetriesAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _starting.WaitAsync(cancellationToken);
        await engine.DisposeAsync();
    }

    public void Dispose() => _stopping.Dispose();
}

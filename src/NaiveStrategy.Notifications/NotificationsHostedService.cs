using Microsoft.Extensions.Hosting;

namespace NaiveStrategy.Notifications;

// Subscribes in StartingAsync, before any hosted service's StartAsync (the engine's included): the first events and
// the readiness of the start are told. Stops after the engine's StopAsync (hosted services stop in reverse order),
// sending what is queued within the host's shutdown time.
internal sealed class NotificationsHostedService(NaiveStrategyNotifier notifier) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        notifier.Start();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => notifier.StopAsync(cancellationToken);
}

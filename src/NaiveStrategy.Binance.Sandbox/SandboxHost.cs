using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance.Sandbox;

/// <summary>Runs a <see cref="BinanceSandboxServer"/> for a command line (the sample's <c>sandbox</c> command).</summary>
public static class SandboxHost
{
    /// <summary>
    /// Starts the server, writes its three base URLs to <paramref name="stdout"/> one per line (REST, WebSocket API,
    /// streams), replays <see cref="SandboxOptions.ReplayTrades"/> if any, and serves until <paramref name="cancellationToken"/>
    /// is cancelled. Completes normally on cancellation.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static Task RunAsync(SandboxOptions options, TextWriter stdout, CancellationToken cancellationToken) =>
        RunAsync(options, stdout, null, cancellationToken);

    /// <summary>As <see cref="RunAsync(SandboxOptions, TextWriter, CancellationToken)"/>, logging through <paramref name="loggerFactory"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static async Task RunAsync(SandboxOptions options, TextWriter stdout, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        await using var server = new BinanceSandboxServer(options, loggerFactory);
        await server.StartAsync(cancellationToken);
        await stdout.WriteLineAsync(server.RestBaseUrl);
        await stdout.WriteLineAsync(server.WebSocketApiUrl);
        await stdout.WriteLineAsync(server.StreamBaseUrl);
        await stdout.FlushAsync(cancellationToken);
        try
        {
            if (options.ReplayTrades is { } trades)
            {
                await server.ReplayAsync(trades, options.ReplaySpeed, cancellationToken);
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Asked to stop.
        }
    }
}

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// Server-wide counters that prove the bounds hold: how many connections are open, and how many requests hit an
/// unexpected exception (a sandbox bug).
/// </summary>
internal sealed class SandboxDiagnostics
{
    private long _openConnections;
    private long _unexpectedErrors;

    /// <summary>WebSocket connections accepted and not yet finished.</summary>
    public long OpenConnections => Interlocked.Read(ref _openConnections);

    /// <summary>Requests answered -1000 because the sandbox threw; stays 0 unless the sandbox has a bug.</summary>
    public long UnexpectedErrors => Interlocked.Read(ref _unexpectedErrors);

    public void ConnectionOpened() => Interlocked.Increment(ref _openConnections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);

    public void UnexpectedError() => Interlocked.Increment(ref _unexpectedErrors);
}

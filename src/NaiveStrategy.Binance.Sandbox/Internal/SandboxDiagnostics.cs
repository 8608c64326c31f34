namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// Server-wide counters that prove the bounds hold: what every connection still has queued, how many connections
/// are open, how many slow consumers were cut off, and how many requests hit an unexpected exception (a sandbox bug).
/// </summary>
internal sealed class SandboxDiagnostics
{
    private long _queuedMessages;
    private long _queuedBytes;
    private long _openConnections;
    private long _slowConsumerDisconnects;
    private long _unexpectedErrors;

    /// <summary>Messages waiting in the send queues of all connections.</summary>
    public long QueuedMessages => Interlocked.Read(ref _queuedMessages);

    /// <summary>UTF-8 bytes waiting in the send queues of all connections.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>WebSocket connections accepted and not yet finished.</summary>
    public long OpenConnections => Interlocked.Read(ref _openConnections);

    /// <summary>Connections closed because their send queue went over its bound.</summary>
    public long SlowConsumerDisconnects => Interlocked.Read(ref _slowConsumerDisconnects);

    /// <summary>Requests answered -1000 because the sandbox threw; stays 0 unless the sandbox has a bug.</summary>
    public long UnexpectedErrors => Interlocked.Read(ref _unexpectedErrors);

    public void Queued(long messages, long bytes)
    {
        Interlocked.Add(ref _queuedMessages, messages);
        Interlocked.Add(ref _queuedBytes, bytes);
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _openConnections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);

    public void SlowConsumerDisconnected() => Interlocked.Increment(ref _slowConsumerDisconnects);

    public void UnexpectedError() => Interlocked.Increment(ref _unexpectedErrors);
}

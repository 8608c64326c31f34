namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>What <see cref="SendQueue.TryEnqueue"/> did with a message.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued for the writer.</summary>
    Queued,

    /// <summary>Dropped: the queue no longer accepts messages.</summary>
    Closed,

    /// <summary>Dropped, and this message took the queue over its bound: the queue is now empty and closed.</summary>
    Overflowed,
}

/// <summary>
/// A connection's outbox: any thread enqueues, one writer dequeues. Bounded in messages and bytes, because a client
/// that does not read would otherwise make the server hold every message published to it. Going over the bound
/// empties and closes the queue at once (the connection is being dropped); closing it does the same.
/// </summary>
internal sealed class SendQueue
{
    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _messages = new();
    private readonly SandboxDiagnostics _diagnostics;
    private long _bytes;
    private bool _closed;
    private TaskCompletionSource? _readable;

    public SendQueue(int maxMessages, long maxBytes, SandboxDiagnostics diagnostics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        MaxMessages = maxMessages;
        MaxBytes = maxBytes;
        _diagnostics = diagnostics;
    }

    public int MaxMessages { get; }

    public long MaxBytes { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Over half its bound in messages or bytes: its reader is falling behind.</summary>
    public bool IsHalfFull
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count > MaxMessages / 2 || _bytes > MaxBytes / 2;
            }
        }
    }

    /// <summary>True once the queue went over its bound.</summary>
    public bool Overflowed { get; private set; }

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    public EnqueueResult TryEnqueue(byte[] message)
    {
        TaskCompletionSource? wake;
        var overflowed = false;
        lock (_gate)
        {
            if (_closed)
            {
                return EnqueueResult.Closed;
            }

            if (_messages.Count + 1 > MaxMessages || _bytes + message.Length > MaxBytes)
            {
                Overflowed = overflowed = true;
                wake = CloseAndClear();
            }
            else
            {
                _messages.Enqueue(message);
                _bytes += message.Length;
                _diagnostics.Queued(1, message.Length);
                wake = _readable;
                _readable = null;
            }
        }

        wake?.TrySetResult();
        return overflowed ? EnqueueResult.Overflowed : EnqueueResult.Queued;
    }

    public bool TryDequeue(out byte[] message)
    {
        lock (_gate)
        {
            if (!_messages.TryDequeue(out message!))
            {
                return false;
            }

            _bytes -= message.Length;
            _diagnostics.Queued(-1, -message.Length);
        }

        return true;
    }

    /// <summary>Waits until a message can be dequeued (true) or the queue is closed and empty (false).</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_messages.Count > 0)
                {
                    return true;
                }

                if (_closed)
                {
                    return false;
                }

                _readable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _readable.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Accepts no more messages; those queued are still handed to the writer.</summary>
    public void Complete()
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            _closed = true;
            wake = _readable;
            _readable = null;
        }

        wake?.TrySetResult();
    }

    /// <summary>Accepts no more messages and drops those queued.</summary>
    public void Discard()
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            wake = CloseAndClear();
        }

        wake?.TrySetResult();
    }

    // Under the gate.
    private TaskCompletionSource? CloseAndClear()
    {
        _closed = true;
        if (_messages.Count > 0)
        {
            _diagnostics.Queued(-_messages.Count, -_bytes);
            _messages.Clear();
            _messages.TrimExcess();
            _bytes = 0;
        }

        var wake = _readable;
        _readable = null;
        return wake;
    }
}

namespace NaiveStrategy.Binance;

/// <summary>
/// Spaces connection attempts to one host so that a restart or a reconnection storm stays far under Binance's limit
/// of 300 attempts per 5 minutes per IP: at most <see cref="MaxPerWindow"/> in any 5-minute window, and at least
/// <see cref="Spacing"/> between two attempts. Each caller reserves the next free slot, then waits for it.
/// </summary>
internal sealed class ConnectionAttempts(TimeProvider time)
{
    public const int MaxPerWindow = 150;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(50);

    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _slots = new();
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    /// <summary>Attempts made or reserved in the last 5 minutes.</summary>
    public int Recent
    {
        get
        {
            lock (_gate)
            {
                Forget(time.GetUtcNow());
                return _slots.Count;
            }
        }
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset slot;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Forget(now);
            slot = now;
            if (_last != DateTimeOffset.MinValue && _last + Spacing > slot)
            {
                slot = _last + Spacing;
            }

            if (_slots.Count >= MaxPerWindow)
            {
                var windowFree = _slots.ElementAt(_slots.Count - MaxPerWindow) + Window;
                slot = windowFree > slot ? windowFree : slot;
            }

            _slots.Enqueue(slot);
            _last = slot;
        }

        if (slot > now)
        {
            await Task.Delay(slot - now, time, cancellationToken);
        }
    }

    private void Forget(DateTimeOffset now)
    {
        while (_slots.Count > 0 && now - _slots.Peek() >= Window)
        {
            _slots.Dequeue();
        }
    }
}

namespace NaiveStrategy.Mock;

/// <summary>
/// A <see cref="TimeProvider"/> whose time is the time of the last market trade the exchange saw:
/// a replay runs on market time, so its output does not depend on when or how fast it ran.
/// </summary>
public sealed class MarketClock : TimeProvider
{
    private long _utcTicks;

    /// <summary>Creates a clock at <paramref name="start"/>.</summary>
    public MarketClock(DateTimeOffset start) => _utcTicks = start.UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Volatile.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock to <paramref name="time"/> if that is later; time never goes back.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        // Atomic reads (Volatile.Read of a long is atomic on every platform) and one compare-and-swap only when the
        // time moves: most trades share their millisecond with the one before and take no interlocked operation.
        var ticks = time.UtcTicks;
        long current;
        do
        {
            current = Volatile.Read(ref _utcTicks);
            if (ticks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _utcTicks, ticks, current) != current);
    }
}

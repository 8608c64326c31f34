namespace NaiveStrategy.Engine;

// Exponential backoff from the options' first delay, doubling per attempt, capped at 30 s.
internal static class Backoff
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    public static TimeSpan Delay(TimeSpan first, int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 16));
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, MaxDelay.Ticks));
    }
}

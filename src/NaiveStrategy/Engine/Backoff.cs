namespace NaiveStrategy.Engine;

// Exponential backoff for stream resubscription: the options' first delay, doubling per attempt, capped.
internal static class Backoff
{
    public static TimeSpan Delay(NaiveStrategyOptions options, int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 16));
        return TimeSpan.FromTicks((long)Math.Min(options.RetryDelay.Ticks * factor, options.MaxRetryDelay.Ticks));
    }
}

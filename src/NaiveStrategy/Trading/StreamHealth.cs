namespace NaiveStrategy;

/// <summary>
/// When each of a symbol's input streams last failed (UTC ticks; 0: it has delivered an item since, or never failed).
/// Kept by the Leader from the stream failures and the items it is given; read for readiness, never saved.
/// </summary>
internal readonly record struct StreamHealth(long TradesFailedAt, long UpdatesFailedAt)
{
    /// <summary><paramref name="stream"/> failed at <paramref name="time"/>.</summary>
    public StreamHealth Failed(StrategyStream stream, DateTimeOffset time) => stream == StrategyStream.MarketTrades
        ? this with { TradesFailedAt = time.UtcTicks }
        : this with { UpdatesFailedAt = time.UtcTicks };

    /// <summary>The streams that failed and have delivered nothing since, unless they have not failed again for <paramref name="grace"/>.</summary>
    public IEnumerable<StrategyStream> Down(DateTimeOffset now, TimeSpan grace)
    {
        if (IsDown(TradesFailedAt, now, grace))
        {
            yield return StrategyStream.MarketTrades;
        }

        if (IsDown(UpdatesFailedAt, now, grace))
        {
            yield return StrategyStream.OrderUpdates;
        }
    }

    private static bool IsDown(long failedAt, DateTimeOffset now, TimeSpan grace) => failedAt != 0 && now.UtcTicks - failedAt < grace.Ticks;
}

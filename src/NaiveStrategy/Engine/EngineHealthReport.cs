namespace NaiveStrategy;

/// <summary>What the engine knows about its connections and its store (for readiness checks).</summary>
/// <param name="Started">True once <see cref="NaiveStrategyEngine.StartAsync"/> has completed.</param>
/// <param name="StreamsDown">
/// Input streams that failed and have delivered nothing since, e.g. <c>XRPUSDT market trades</c>; a stream
/// counts as up again after an item, or when it has not failed again for twice the longest retry delay.
/// </param>
/// <param name="StoreError">The message of the store's last failure when its last write failed; null while writes succeed.</param>
public sealed record EngineHealthReport(bool Started, IReadOnlyList<string> StreamsDown, string? StoreError)
{
    /// <summary>True when started, every stream is up and the store takes writes.</summary>
    public bool IsReady => Started && StreamsDown.Count == 0 && StoreError is null;
}

namespace NaiveStrategy;

/// <summary>
/// Whether the engine is ready to trade, and why not: the symbols the exchange could not start yet (down, unreachable,
/// rate-limited, no filters), each with the last reason and tried again with backoff by
/// <see cref="NaiveStrategyEngine.StartWithRetriesAsync"/>; the input streams that failed; the store's last failure.
/// A readiness check reads it (<see cref="NaiveStrategyEngine.Readiness"/>).
/// </summary>
public sealed record EngineReadiness
{
    /// <summary>Before any start was asked for.</summary>
    public static EngineReadiness NotStarted { get; } = new() { Status = EngineReadinessStatus.NotStarted };

    /// <summary>Where the engine is in starting its symbols.</summary>
    public required EngineReadinessStatus Status { get; init; }

    /// <summary>Symbols not started yet, each with the reason of its last failed attempt (empty once every symbol trades).</summary>
    public IReadOnlyDictionary<string, string> Waiting { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Input streams that failed and have delivered nothing since, e.g. <c>XRPUSDT market trades</c>; a stream
    /// counts as up again after an item, or when it has not failed again for twice the longest retry delay.
    /// </summary>
    public IReadOnlyList<string> StreamsDown { get; init; } = [];

    /// <summary>The message of the store's last failure when its last write failed; null while writes succeed.</summary>
    public string? StoreError { get; init; }

    /// <summary>True when every symbol asked for trades, every input stream is up and the store takes writes.</summary>
    public bool IsReady => Status == EngineReadinessStatus.Ready && StreamsDown.Count == 0 && StoreError is null;

    /// <summary>
    /// One line for a health report: <c>ready</c>, or what is wrong, e.g. <c>starting: XRPUSDT (the exchange did not
    /// give its filters …)</c>, <c>streams down: XRPUSDT market trades</c>, <c>the store cannot write: disk full</c>.
    /// </summary>
    public override string ToString()
    {
        var problems = new List<string>();
        if (Status != EngineReadinessStatus.Ready)
        {
            var stage = Status == EngineReadinessStatus.NotStarted ? "not started" : Status.ToString().ToLowerInvariant();
            problems.Add(Waiting.Count == 0 ? stage : $"{stage}: {string.Join("; ", Waiting.Select(w => $"{w.Key} ({w.Value})"))}");
        }

        if (StreamsDown.Count > 0)
        {
            problems.Add("streams down: " + string.Join(", ", StreamsDown));
        }

        if (StoreError is not null)
        {
            problems.Add("the store cannot write: " + StoreError);
        }

        return problems.Count == 0 ? "ready" : string.Join("; ", problems);
    }
}

/// <summary>The engine's stage in starting its symbols, as <see cref="EngineReadiness.Status"/> reports it.</summary>
public enum EngineReadinessStatus
{
    /// <summary>No start was asked for yet.</summary>
    NotStarted,

    /// <summary>Some symbols wait for the exchange; they are tried again with backoff.</summary>
    Starting,

    /// <summary>Every symbol asked for trades.</summary>
    Ready,

    /// <summary>The engine was disposed.</summary>
    Stopped,
}

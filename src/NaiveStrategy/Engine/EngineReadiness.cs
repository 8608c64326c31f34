namespace NaiveStrategy;

/// <summary>
/// Whether the engine trades every symbol it was asked to start. A symbol the exchange could not start yet
/// (down, unreachable, rate-limited, no filters) is <see cref="Waiting"/> with the last reason, and tried
/// again with backoff by <see cref="NaiveStrategyEngine.StartWithRetriesAsync"/>; a health check reads this.
/// </summary>
public sealed record EngineReadiness
{
    /// <summary>Before any start was asked for.</summary>
    public static EngineReadiness NotStarted { get; } = new() { Status = EngineReadinessStatus.NotStarted };

    /// <summary>Where the engine is.</summary>
    public required EngineReadinessStatus Status { get; init; }

    /// <summary>Symbols not started yet, each with the reason of its last failed attempt (empty when ready).</summary>
    public IReadOnlyDictionary<string, string> Waiting { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>True when every symbol asked for trades.</summary>
    public bool IsReady => Status == EngineReadinessStatus.Ready;

    /// <summary>One line for a health report, e.g. <c>starting: XRPUSDT (the exchange did not give its filters …)</c>.</summary>
    public override string ToString() => Waiting.Count == 0
        ? Status.ToString().ToLowerInvariant()
        : $"{Status.ToString().ToLowerInvariant()}: {string.Join("; ", Waiting.Select(w => $"{w.Key} ({w.Value})"))}";
}

/// <summary>The engine's stage, as <see cref="EngineReadiness.Status"/> reports it.</summary>
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

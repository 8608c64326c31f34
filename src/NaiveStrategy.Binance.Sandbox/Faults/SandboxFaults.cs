namespace NaiveStrategy.Binance.Sandbox;

/// <summary>
/// Faults injected on demand while the server runs. Thread-safe; counted faults are consumed by the
/// requests they hit, in arrival order.
/// </summary>
public sealed partial class SandboxFaults
{
    private readonly Lock _gate = new();
    private readonly Action<SandboxSocketKinds> _drop;
    private int _serverErrors;
    private int _rateLimited;
    private int _banned;
    private int _timestampErrors;
    private int _unknownExecutions;
    private int _archived;

    internal SandboxFaults(SandboxFaultOptions options, Action<SandboxSocketKinds> drop)
    {
        _drop = drop;
        Apply(options);
    }

    /// <summary>Delay added before every REST and WebSocket API response.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>HTTP status of the 5xx answers of <see cref="FailOrdersAfterAccepting"/>.</summary>
    public int ServerErrorStatus { get; set; } = 503;

    /// <summary><c>Retry-After</c> of 429 and 418 answers.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>When set, WebSocket API connections opened from now on are dropped after living this long.</summary>
    public TimeSpan? DropWebSocketApiAfter { get; set; }

    /// <summary>When set, market stream connections opened from now on are dropped after living this long.</summary>
    public TimeSpan? DropMarketStreamsAfter { get; set; }

    /// <summary>Every executionReport is sent twice.</summary>
    public bool DuplicateExecutionReports { get; set; }

    /// <summary>Consecutive executionReports are sent swapped.</summary>
    public bool ReorderExecutionReports { get; set; }

    /// <summary>Applies every setting of <paramref name="options"/> (counts replace the pending ones).</summary>
    public void Apply(SandboxFaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        lock (_gate)
        {
            ResponseDelay = options.ResponseDelay;
            ServerErrorStatus = options.ServerErrorStatus;
            RetryAfter = options.RetryAfter;
            DropWebSocketApiAfter = options.DropWebSocketApiAfter;
            DropMarketStreamsAfter = options.DropMarketStreamsAfter;
            DuplicateExecutionReports = options.DuplicateExecutionReports;
            ReorderExecutionReports = options.ReorderExecutionReports;
            _serverErrors = options.ServerErrorAfterOrderCount;
            _rateLimited = options.RateLimitCount;
            _banned = options.BanCount;
            _timestampErrors = options.TimestampErrorCount;
            _unknownExecutions = options.UnknownExecutionCount;
            _archived = options.ArchivedOrderCount;
            ApplySymbolStatuses(options.SymbolStatuses);
        }
    }

    /// <summary>The next <paramref name="count"/> order placements are executed, then answered with HTTP 5xx / -1007.</summary>
    public void FailOrdersAfterAccepting(int count = 1) => Add(ref _serverErrors, count);

    /// <summary>The next <paramref name="count"/> requests are answered HTTP 429.</summary>
    public void RateLimitRequests(int count = 1) => Add(ref _rateLimited, count);

    /// <summary>The next <paramref name="count"/> requests are answered HTTP 418.</summary>
    public void BanRequests(int count = 1) => Add(ref _banned, count);

    /// <summary>The next <paramref name="count"/> signed requests fail with -1021.</summary>
    public void RejectTimestamps(int count = 1) => Add(ref _timestampErrors, count);

    /// <summary>The next <paramref name="count"/> order placements are executed, then answered HTTP 500 / -1006 (execution status unknown).</summary>
    public void AnswerExecutionUnknown(int count = 1) => Add(ref _unknownExecutions, count);

    /// <summary>The next <paramref name="count"/> order queries are answered -2026 (the order was archived).</summary>
    public void AnswerOrderArchived(int count = 1) => Add(ref _archived, count);

    /// <summary>Aborts the open WebSocket connections of the given kinds now (clients see an abnormal closure).</summary>
    public void DropWebSockets(SandboxSocketKinds kinds = SandboxSocketKinds.All) => _drop(kinds);

    /// <summary>Clears every fault.</summary>
    public void Clear() => Apply(new SandboxFaultOptions());

    internal TimeSpan? DropAfter(SandboxSocketKinds kind) => kind == SandboxSocketKinds.WebSocketApi ? DropWebSocketApiAfter : DropMarketStreamsAfter;

    internal bool TakeServerError() => Take(ref _serverErrors);

    internal bool TakeRateLimit() => Take(ref _rateLimited);

    internal bool TakeBan() => Take(ref _banned);

    internal bool TakeTimestampError() => Take(ref _timestampErrors);

    internal bool TakeUnknownExecution() => Take(ref _unknownExecutions);

    internal bool TakeArchived() => Take(ref _archived);

    private void Add(ref int counter, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            counter += count;
        }
    }

    private bool Take(ref int counter)
    {
        lock (_gate)
        {
            if (counter <= 0)
            {
                return false;
            }

            counter--;
            return true;
        }
    }
}

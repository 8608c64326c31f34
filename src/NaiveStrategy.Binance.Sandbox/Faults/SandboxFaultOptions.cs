using System.Globalization;

namespace NaiveStrategy.Binance.Sandbox;

/// <summary>
/// Faults the sandbox injects from the start (the same knobs <see cref="SandboxFaults"/> changes at run time).
/// A command line passes them as one string, see <see cref="Parse"/>.
/// </summary>
public sealed partial class SandboxFaultOptions
{
    // Longer makes no sense for a test server, and timers and delays cannot wait much longer (about 49 days).
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>Delay added before every REST and WebSocket API response.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>The next N order placements are executed but answered with an HTTP 5xx (code -1007): the order exists.</summary>
    public int ServerErrorAfterOrderCount { get; set; }

    /// <summary>The HTTP status of those answers (500–599; 503 by default).</summary>
    public int ServerErrorStatus { get; set; } = 503;

    /// <summary>The next N requests are answered HTTP 429 (code -1003) with <c>Retry-After</c>.</summary>
    public int RateLimitCount { get; set; }

    /// <summary>The next N requests are answered HTTP 418 (IP ban, code -1003) with <c>Retry-After</c>.</summary>
    public int BanCount { get; set; }

    /// <summary>The <c>Retry-After</c> of 429 and 418 answers.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The next N signed requests fail with -1021 (timestamp outside the recvWindow), whatever their timestamp.</summary>
    public int TimestampErrorCount { get; set; }

    /// <summary>When set, WebSocket API connections are dropped (aborted, no close frame) after living this long.</summary>
    public TimeSpan? DropWebSocketApiAfter { get; set; }

    /// <summary>When set, market stream connections are dropped (aborted, no close frame) after living this long.</summary>
    public TimeSpan? DropMarketStreamsAfter { get; set; }

    /// <summary>The next N order placements are executed but answered HTTP 500 with -1006 (execution status unknown): the order exists.</summary>
    public int UnknownExecutionCount { get; set; }

    /// <summary>The next N order queries (<c>GET /api/v3/order</c>, <c>order.status</c>) are answered -2026 (ORDER_ARCHIVED).</summary>
    public int ArchivedOrderCount { get; set; }

    /// <summary>Every executionReport is sent twice.</summary>
    public bool DuplicateExecutionReports { get; set; }

    /// <summary>Consecutive executionReports of a subscription are sent swapped (the first is held until the next, or 250 ms).</summary>
    public bool ReorderExecutionReports { get; set; }

    /// <summary>
    /// Parses a comma-separated fault list, e.g. <c>delay=200ms,order5xx=1,429=2,418=1,retry-after=2s,timestamp=3,
    /// drop-ws-api=5s,drop-streams=5s,order-unknown=1,archived=1,duplicate,reorder,order5xx-status=500</c>. Durations take <c>ms</c>, <c>s</c> or <c>m</c>.
    /// An empty or null string means no faults.
    /// </summary>
    /// <exception cref="FormatException">An entry is unknown or its value is invalid; the message names it.</exception>
    public static SandboxFaultOptions Parse(string? spec)
    {
        var options = new SandboxFaultOptions();
        if (string.IsNullOrWhiteSpace(spec))
        {
            return options;
        }

        foreach (var raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? raw : raw[..eq]).ToLowerInvariant();
            var value = eq < 0 ? null : raw[(eq + 1)..];
            switch (name)
            {
                case "delay": options.ResponseDelay = ParseDuration(name, value); break;
                case "order5xx": options.ServerErrorAfterOrderCount = ParseCount(name, value); break;
                case "order5xx-status": options.ServerErrorStatus = ParseCount(name, value); break;
                case "429": options.RateLimitCount = ParseCount(name, value); break;
                case "418": options.BanCount = ParseCount(name, value); break;
                case "retry-after": options.RetryAfter = ParseDuration(name, value); break;
                case "timestamp": options.TimestampErrorCount = ParseCount(name, value); break;
                case "drop-ws-api": options.DropWebSocketApiAfter = ParseDuration(name, value); break;
                case "drop-streams": options.DropMarketStreamsAfter = ParseDuration(name, value); break;
                case "order-unknown": options.UnknownExecutionCount = ParseCount(name, value); break;
                case "archived": options.ArchivedOrderCount = ParseCount(name, value); break;
                case "duplicate": options.DuplicateExecutionReports = ParseFlag(name, value); break;
                case "reorder": options.ReorderExecutionReports = ParseFlag(name, value); break;
                case "symbol-status": options.AddSymbolStatus(value); break;
                default:
                    throw new FormatException($"Unknown fault '{raw}'. Known: delay, order5xx, order5xx-status, 429, 418, retry-after, timestamp, drop-ws-api, drop-streams, order-unknown, archived, duplicate, reorder, symbol-status.");
            }
        }

        options.Validate();
        return options;
    }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">The message names the option and the value.</exception>
    public void Validate()
    {
        Check(ResponseDelay >= TimeSpan.Zero && ResponseDelay <= MaxDuration, nameof(ResponseDelay), ResponseDelay);
        Check(ServerErrorAfterOrderCount >= 0, nameof(ServerErrorAfterOrderCount), ServerErrorAfterOrderCount);
        Check(ServerErrorStatus is >= 500 and <= 599, nameof(ServerErrorStatus), ServerErrorStatus);
        Check(RateLimitCount >= 0, nameof(RateLimitCount), RateLimitCount);
        Check(BanCount >= 0, nameof(BanCount), BanCount);
        Check(RetryAfter >= TimeSpan.Zero && RetryAfter <= MaxDuration, nameof(RetryAfter), RetryAfter);
        Check(TimestampErrorCount >= 0, nameof(TimestampErrorCount), TimestampErrorCount);
        Check(UnknownExecutionCount >= 0, nameof(UnknownExecutionCount), UnknownExecutionCount);
        Check(ArchivedOrderCount >= 0, nameof(ArchivedOrderCount), ArchivedOrderCount);
        Check(DropWebSocketApiAfter is null || (DropWebSocketApiAfter > TimeSpan.Zero && DropWebSocketApiAfter <= MaxDuration), nameof(DropWebSocketApiAfter), DropWebSocketApiAfter);
        Check(DropMarketStreamsAfter is null || (DropMarketStreamsAfter > TimeSpan.Zero && DropMarketStreamsAfter <= MaxDuration), nameof(DropMarketStreamsAfter), DropMarketStreamsAfter);
    }

    private static void Check(bool ok, string name, object? value)
    {
        if (!ok)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"SandboxFaultOptions.{name} is out of range: {value}."), name);
        }
    }

    private static int ParseCount(string name, string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new FormatException($"Fault '{name}' needs a whole number, got '{value}'.");

    private static bool ParseFlag(string name, string? value) => value switch
    {
        null or "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new FormatException($"Fault '{name}' takes no value or true/false, got '{value}'."),
    };

    private static TimeSpan ParseDuration(string name, string? value)
    {
        if (value is not null)
        {
            var (number, scale) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
                : value.EndsWith('s') ? (value[..^1], 1000.0)
                : value.EndsWith('m') ? (value[..^1], 60_000.0)
                : (null, 0);
            if (number is not null && double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                && amount * scale <= MaxDuration.TotalMilliseconds)
            {
                return TimeSpan.FromMilliseconds(amount * scale);
            }
        }

        throw new FormatException($"Fault '{name}' needs a duration up to 1 day such as 250ms, 2s or 1m, got '{value}'.");
    }
}

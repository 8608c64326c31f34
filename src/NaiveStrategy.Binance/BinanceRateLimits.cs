using System.Globalization;
using System.Net;
using System.Text.Json;

namespace NaiveStrategy.Binance;

/// <summary>
/// Binance's rate limits per kind (rest-api.md, "LIMITS"), as exchangeInfo's <c>rateLimits</c> lists them (the options'
/// <see cref="BinanceExchangeOptions.RequestWeightPerMinute"/> and <see cref="BinanceExchangeOptions.OrdersPer10Seconds"/>
/// until it was read): REQUEST_WEIGHT and RAW_REQUESTS count for every request, ORDERS only for new orders. Usage comes
/// from the answers' <c>X-MBX-USED-WEIGHT-(n)(unit)</c> and <c>X-MBX-ORDER-COUNT-(n)(unit)</c> headers (raw requests,
/// which have no header, are counted here); a request that would pass 90 % of a limit waits for the next window, or is
/// refused when that is more than a minute away. A 418 (IP ban) or a weight 429 stops every request until Retry-After;
/// an order-count 429 (-1015) stops new orders only: cancels and queries go on.
/// </summary>
internal sealed class BinanceRateLimits(BinanceExchangeOptions options, TimeProvider time, Func<long> offsetMilliseconds)
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Window, int Used)> _used = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, (long Window, int Count)> _raw = [];
    private Limit[] _limits =
    [
        new(Kind.Weight, "X-MBX-USED-WEIGHT-1M", 60_000, options.RequestWeightPerMinute),
        new(Kind.Orders, "X-MBX-ORDER-COUNT-10S", 10_000, options.OrdersPer10Seconds),
    ];

    private long _allBlockedUntil;
    private long _ordersBlockedUntil;

    private enum Kind
    {
        Weight,
        Orders,
        Raw,
    }

    /// <summary>The limits in force, e.g. <c>REQUEST_WEIGHT 6000/1M</c>.</summary>
    public IReadOnlyList<string> Describe() => Volatile.Read(ref _limits).Select(l => l.ToString()).ToArray();

    /// <summary>What Binance last reported for a usage header in its current window (0 when none this window).</summary>
    public int Used(string header)
    {
        lock (_gate)
        {
            return _used.TryGetValue(header, out var u) && u.Window == Window(IntervalMs(header[(header.LastIndexOf('-') + 1)..]) ?? 1) ? u.Used : 0;
        }
    }

    /// <summary>Reads exchangeInfo's <c>rateLimits</c>; kinds and intervals this version does not know are skipped.</summary>
    public void Read(JsonElement exchangeInfo)
    {
        if (!exchangeInfo.TryGetProperty("rateLimits", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var limits = new List<Limit>();
        foreach (var entry in list.EnumerateArray())
        {
            var kind = Text(entry, "rateLimitType") switch
            {
                "REQUEST_WEIGHT" => Kind.Weight,
                "ORDERS" => Kind.Orders,
                "RAW_REQUESTS" => Kind.Raw,
                _ => (Kind?)null,
            };
            var unit = Text(entry, "interval") switch { "SECOND" => "S", "MINUTE" => "M", "HOUR" => "H", "DAY" => "D", _ => null };
            if (kind is null || unit is null || !entry.TryGetProperty("intervalNum", out var n) || !n.TryGetInt32(out var number)
                || !entry.TryGetProperty("limit", out var l) || !l.TryGetInt32(out var max) || number < 1 || max < 1)
            {
                continue;
            }

            var interval = number.ToString(CultureInfo.InvariantCulture) + unit;
            var header = kind switch { Kind.Weight => "X-MBX-USED-WEIGHT-", Kind.Orders => "X-MBX-ORDER-COUNT-", _ => "RAW-" } + interval;
            limits.Add(new Limit(kind.Value, header, IntervalMs(interval)!.Value, max));
        }

        if (limits.Count > 0)
        {
            Volatile.Write(ref _limits, [.. limits]);
        }
    }

    /// <summary>Null when the request may be sent now; else why not (Retry-After not passed yet).</summary>
    public ExchangeError? Refusal(bool placesOrder)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (now < Interlocked.Read(ref _allBlockedUntil))
        {
            return new ExchangeError(ExchangeErrorKind.Transient, -1003, $"Rate limited by Binance: no request before {At(Interlocked.Read(ref _allBlockedUntil)):O}.");
        }

        return placesOrder && now < Interlocked.Read(ref _ordersBlockedUntil)
            ? new ExchangeError(ExchangeErrorKind.Transient, -1015, $"Binance's order limit was reached: no new order before {At(Interlocked.Read(ref _ordersBlockedUntil)):O} (cancels and queries go on).")
            : null;
    }

    /// <summary>
    /// How long to wait before sending a request of <paramref name="weight"/> (zero: at once), with the limit that
    /// makes it wait; a refusal when the wait would be longer than a minute. Counts the request as a raw request.
    /// </summary>
    public (TimeSpan Delay, string? Limit, ExchangeError? Refused) Reserve(int weight, bool placesOrder)
    {
        var delay = TimeSpan.Zero;
        string? reason = null;
        lock (_gate)
        {
            foreach (var limit in _limits)
            {
                var window = Window(limit.WindowMs);
                var (used, cost) = limit.Kind switch
                {
                    Kind.Weight => (_used.TryGetValue(limit.Header, out var u) && u.Window == window ? u.Used : 0, weight),
                    Kind.Orders when placesOrder => (_used.TryGetValue(limit.Header, out var o) && o.Window == window ? o.Used : 0, 1),
                    Kind.Raw => (_raw.TryGetValue(limit.WindowMs, out var r) && r.Window == window ? r.Count : 0, 1),
                    _ => (0, 0),
                };
                if (cost > 0 && used + (long)cost > limit.Max * 9L / 10 && Until(limit.WindowMs) is var wait && wait > delay)
                {
                    (delay, reason) = (wait, $"{limit} ({used} used)");
                }
            }

            foreach (var limit in _limits.Where(l => l.Kind == Kind.Raw))
            {
                var window = Window(limit.WindowMs);
                var count = _raw.TryGetValue(limit.WindowMs, out var r) && r.Window == window ? r.Count : 0;
                _raw[limit.WindowMs] = (window, count + 1);
            }
        }

        return delay <= LongestWait
            ? (delay, reason, null)
            : (delay, reason, new ExchangeError(ExchangeErrorKind.Transient, placesOrder ? -1015 : -1003, $"Binance's limit {reason} is nearly used: not sent before {time.GetUtcNow() + delay:O}."));
    }

    /// <summary>Reads the usage headers of an answer.</summary>
    public void Track(HttpResponseMessage response)
    {
        lock (_gate)
        {
            foreach (var (name, values) in response.Headers)
            {
                if ((name.StartsWith("X-MBX-USED-WEIGHT-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("X-MBX-ORDER-COUNT-", StringComparison.OrdinalIgnoreCase))
                    && IntervalMs(name[(name.LastIndexOf('-') + 1)..]) is { } ms
                    && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var used))
                {
                    _used[name] = (Window(ms), used);
                }
            }
        }
    }

    /// <summary>
    /// A 429 or 418: no request (418, or a weight 429), or no new order (an order-count 429, -1015), before Retry-After
    /// (60 s when Binance gives none). Returns when that is.
    /// </summary>
    public DateTimeOffset Blocked(HttpStatusCode status, int code, TimeSpan? retryAfter)
    {
        var until = time.GetUtcNow() + (retryAfter ?? TimeSpan.FromSeconds(60));
        Interlocked.Exchange(ref status == HttpStatusCode.TooManyRequests && code == -1015 ? ref _ordersBlockedUntil : ref _allBlockedUntil, until.UtcTicks);
        return until;
    }

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    private static string? Text(JsonElement e, string property) => e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // "1M" → 60,000 ms; "10S", "1H", "1D"; null for anything else.
    private static long? IntervalMs(string interval)
    {
        if (interval.Length < 2 || !long.TryParse(interval.AsSpan(0, interval.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            return null;
        }

        return char.ToUpperInvariant(interval[^1]) switch
        {
            'S' => n * 1_000,
            'M' => n * 60_000,
            'H' => n * 3_600_000,
            'D' => n * 86_400_000,
            _ => null,
        };
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds() + offsetMilliseconds();

    private long Window(long ms) => Now() / ms;

    // To the next window, and 50 ms more so that Binance has started it too.
    private TimeSpan Until(long ms) => TimeSpan.FromMilliseconds(ms - (Now() % ms) + 50);

    private sealed record Limit(Kind Kind, string Header, long WindowMs, int Max)
    {
        public override string ToString() => $"{Kind switch { Kind.Weight => "REQUEST_WEIGHT", Kind.Orders => "ORDERS", _ => "RAW_REQUESTS" }} {Max}/{Header[(Header.LastIndexOf('-') + 1)..]}";
    }
}

using System.Collections.Concurrent;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// Fixed-window counters like Binance's: request weight per IP per minute, unfilled orders per account per 10 s and per day.
/// </summary>
internal sealed class UsageCounters(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Key, long Window), int> _counts = new();

    public int AddWeight(string ip, int weight) => Add("w:" + ip, TimeSpan.FromMinutes(1), weight);

    public int Weight(string ip) => Get("w:" + ip, TimeSpan.FromMinutes(1));

    public (int TenSeconds, int Day) AddOrder(string apiKey) =>
        (Add("o10:" + apiKey, TimeSpan.FromSeconds(10), 1), Add("o1d:" + apiKey, TimeSpan.FromDays(1), 1));

    /// <summary>
    /// One order less in every order window (never below 0): a placement that failed, or an order's first fill —
    /// Binance's unfilled order count counts orders that have not traded.
    /// </summary>
    public void RemoveOrder(string apiKey)
    {
        foreach (var (key, window) in new[] { ("o10:" + apiKey, TimeSpan.FromSeconds(10)), ("o1d:" + apiKey, TimeSpan.FromDays(1)) })
        {
            _counts.AddOrUpdate((key, Window(window)), 0, (_, c) => Math.Max(0, c - 1));
        }
    }

    public (int TenSeconds, int Day) Orders(string apiKey) =>
        (Get("o10:" + apiKey, TimeSpan.FromSeconds(10)), Get("o1d:" + apiKey, TimeSpan.FromDays(1)));

    private int Add(string key, TimeSpan window, int amount)
    {
        var slot = (key, Window(window));
        var count = _counts.AddOrUpdate(slot, amount, (_, c) => c + amount);
        if (_counts.Count > 10_000)
        {
            Prune();
        }

        return count;
    }

    private int Get(string key, TimeSpan window) => _counts.GetValueOrDefault((key, Window(window)));

    private long Window(TimeSpan window) => time.GetUtcNow().ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;

    private void Prune()
    {
        foreach (var entry in _counts.Keys)
        {
            var size = entry.Key.StartsWith("w:", StringComparison.Ordinal) ? TimeSpan.FromMinutes(1)
                : entry.Key.StartsWith("o10:", StringComparison.Ordinal) ? TimeSpan.FromSeconds(10)
                : TimeSpan.FromDays(1);
            if (entry.Window < Window(size))
            {
                _counts.TryRemove(entry, out _);
            }
        }
    }
}

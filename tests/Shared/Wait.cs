namespace NaiveStrategy.Tests.Shared;

/// <summary>
/// Waits on a condition, not on the clock: the condition is checked at once and then at every tick of a short
/// <see cref="PeriodicTimer"/> until it holds or the patience runs out. A test that needs something to happen waits
/// exactly as long as it takes, never a fixed time.
/// </summary>
internal static class Wait
{
    private static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <summary>Until <paramref name="condition"/> holds; a <see cref="TimeoutException"/> naming <paramref name="what"/> when it does not in time.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? patience = null, Action? betweenChecks = null, TimeSpan? every = null) =>
        ForAsync(() => Task.FromResult<object?>(condition() ? true : null), what, patience, betweenChecks, every);

    /// <summary>Until <paramref name="condition"/> holds; a <see cref="TimeoutException"/> naming <paramref name="what"/> when it does not in time.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null, TimeSpan? every = null) =>
        ForAsync(async () => await condition() ? (object?)true : null, what, patience, every: every);

    /// <summary>Until <paramref name="condition"/> holds, or the patience runs out: whether it held (the test asserts what it expected).</summary>
    public static async Task<bool> TryUntilAsync(Func<bool> condition, TimeSpan? patience = null, TimeSpan? every = null, Action? betweenChecks = null) =>
        await PollAsync(() => Task.FromResult<object?>(condition() ? true : null), patience, betweenChecks, every) is not null;

    /// <summary>Until <paramref name="probe"/> gives a value, which is returned.</summary>
    /// <param name="probe">Null while the awaited thing has not happened.</param>
    /// <param name="what">What is awaited, for the timeout's message.</param>
    /// <param name="patience">How long at most (10 s when null).</param>
    /// <param name="betweenChecks">Run before each new check (e.g. advancing a fake clock, publishing a trade again).</param>
    /// <param name="every">How often the condition is checked (10 ms when null).</param>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? patience = null, Action? betweenChecks = null, TimeSpan? every = null)
        where T : class =>
        await PollAsync(probe, patience, betweenChecks, every) ?? throw new TimeoutException($"Not within {patience ?? DefaultPatience}: {what}.");

    private static async Task<T?> PollAsync<T>(Func<Task<T?>> probe, TimeSpan? patience, Action? betweenChecks, TimeSpan? every)
        where T : class
    {
        var limit = patience ?? DefaultPatience;
        using var timer = new PeriodicTimer(every ?? Tick);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                return null;
            }

            await timer.WaitForNextTickAsync();
            betweenChecks?.Invoke();
        }
    }
}

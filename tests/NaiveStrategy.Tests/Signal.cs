namespace NaiveStrategy.Tests;

/// <summary>Waits on what the code under test signals, never on a fixed sleep.</summary>
internal static class Signal
{
    /// <summary>
    /// Completes once <paramref name="condition"/> holds: checked at once, then again on every notification of
    /// <paramref name="sources"/>. Fails after <paramref name="timeout"/>, a bound for a stuck test, not a measure.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, params IObservable<object?>[] sources)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriptions = sources.Select(s => s.Subscribe(_ =>
        {
            if (condition())
            {
                met.TrySetResult();
            }
        })).ToList();
        try
        {
            if (!condition())
            {
                await met.Task.WaitAsync(timeout);
            }
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }
}

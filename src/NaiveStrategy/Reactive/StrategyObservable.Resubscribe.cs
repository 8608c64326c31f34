using System.Reactive.Disposables;

namespace NaiveStrategy.Reactive;

internal static partial class StrategyObservable
{
    /// <summary>
    /// Subscribes to <paramref name="source"/> again whenever it fails or completes, after a delay that
    /// grows with each consecutive resubscription (<paramref name="delay"/> gets the attempt number, 1 for
    /// the first) and starts over once an item arrives. <paramref name="resubscribed"/> is told before
    /// each new subscription, right after it is made (error, or null when the source completed; attempt;
    /// the delay waited): what was missed in between can then be asked for. Items pass through untouched.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="source">A source that may end.</param>
    /// <param name="delay">The wait before the given attempt.</param>
    /// <param name="resubscribed">Called right after each new subscription is made.</param>
    /// <param name="timeProvider">The clock the delays run on.</param>
    public static IObservable<T> Resubscribe<T>(this IObservable<T> source, Func<int, TimeSpan> delay, Action<Exception?, int, TimeSpan> resubscribed, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(delay);
        ArgumentNullException.ThrowIfNull(resubscribed);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new Resubscribing<T>(source, delay, resubscribed, timeProvider);
    }

    private sealed class Resubscribing<T>(IObservable<T> source, Func<int, TimeSpan> delay, Action<Exception?, int, TimeSpan> resubscribed, TimeProvider time) : IObservable<T>
    {
        private IObservable<T> Source => source;

        private Func<int, TimeSpan> DelayOf => delay;

        private Action<Exception?, int, TimeSpan> Resubscribed => resubscribed;

        private TimeProvider Time => time;

        public IDisposable Subscribe(IObserver<T> observer)
        {
            ArgumentNullException.ThrowIfNull(observer);
            var sink = new Sink(this, observer);
            sink.Connect();
            return sink;
        }

        private sealed class Sink(Resubscribing<T> parent, IObserver<T> downstream) : IObserver<T>, IDisposable
        {
            private readonly SerialDisposable _subscription = new();
            private int _attempt;
            private ITimer? _timer;
            private volatile bool _disposed;
            private (Exception? Error, int Attempt, TimeSpan Delay)? _ended;

            public void Connect()
            {
                if (_disposed)
                {
                    return;
                }

                // Taken before subscribing: a source that fails at once records its next ending meanwhile.
                var ended = _ended;
                _ended = null;
                _subscription.Disposable = parent.Source.Subscribe(this);
                if (ended is { } e)
                {
                    parent.Resubscribed(e.Error, e.Attempt, e.Delay);
                }
            }

            public void OnNext(T value)
            {
                _attempt = 0;
                downstream.OnNext(value);
            }

            public void OnError(Exception error) => Again(error);

            public void OnCompleted() => Again(null);

            public void Dispose()
            {
                _disposed = true;
                _timer?.Dispose();
                _subscription.Dispose();
            }

            private void Again(Exception? error)
            {
                if (_disposed)
                {
                    return;
                }

                var attempt = Interlocked.Increment(ref _attempt);
                var wait = parent.DelayOf(attempt);
                _ended = (error, attempt, wait);
                _timer?.Dispose();
                _timer = parent.Time.CreateTimer(static s => ((Sink)s!).Connect(), this, wait, Timeout.InfiniteTimeSpan);
            }
        }
    }
}

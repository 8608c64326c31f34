using System.Reactive.Disposables;

namespace NaiveStrategy.Reactive;

/// <summary>Rx operators of the engine's per-symbol flow.</summary>
public static class StrategyObservable
{
    /// <summary>
    /// Merges <paramref name="sources"/> and delivers their items strictly one at a time. An item that
    /// arrives while another is being delivered — from another thread, or re-entrantly from the observer
    /// itself (a synchronous exchange that fills an order while the observer places it) — is queued and
    /// delivered right after, by the thread already delivering: no thread hop, no lock held by two
    /// deliveries, nothing processed inside another item's processing. Queuing a value-type item
    /// allocates nothing once the queue has grown. Like Rx's <c>Synchronize</c> on a
    /// <c>CurrentThreadScheduler</c>, for several sources and any thread. Completes when every source
    /// has completed; the first error ends the sequence.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="sources">The sources.</param>
    public static IObservable<T> MergeSerialized<T>(params IObservable<T>[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new SerializedMerge<T>(sources);
    }

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

    private sealed class SerializedMerge<T>(IObservable<T>[] sources) : IObservable<T>
    {
        public IDisposable Subscribe(IObserver<T> observer)
        {
            ArgumentNullException.ThrowIfNull(observer);
            var sink = new Sink(observer, sources.Length);
            var subscriptions = new CompositeDisposable(sources.Length);
            foreach (var source in sources)
            {
                subscriptions.Add(source.Subscribe(sink));
            }

            return subscriptions;
        }

        private sealed class Sink(IObserver<T> downstream, int active) : IObserver<T>
        {
            private readonly Lock _gate = new();
            private readonly Queue<Notification> _queue = new();
            private int _active = active;
            private bool _draining;
            private bool _done;

            public void OnNext(T value) => Deliver(new Notification(NotificationKind.Next, value, null));

            public void OnError(Exception error) => Deliver(new Notification(NotificationKind.Error, default, error));

            public void OnCompleted()
            {
                if (Interlocked.Decrement(ref _active) == 0)
                {
                    Deliver(new Notification(NotificationKind.Completed, default, null));
                }
            }

            private void Deliver(in Notification notification)
            {
                lock (_gate)
                {
                    if (_done)
                    {
                        return;
                    }

                    if (_draining)
                    {
                        _queue.Enqueue(notification);
                        return;
                    }

                    _draining = true;
                    try
                    {
                        var next = notification;
                        do
                        {
                            if (!Forward(next))
                            {
                                _done = true;
                                _queue.Clear();
                                return;
                            }
                        }
                        while (_queue.TryDequeue(out next));
                    }
                    finally
                    {
                        _draining = false;
                    }
                }
            }

            private bool Forward(in Notification notification)
            {
                switch (notification.Kind)
                {
                    case NotificationKind.Next:
                        downstream.OnNext(notification.Value!);
                        return true;
                    case NotificationKind.Error:
                        downstream.OnError(notification.Error!);
                        return false;
                    default:
                        downstream.OnCompleted();
                        return false;
                }
            }
        }

        private enum NotificationKind : byte
        {
            Next,
            Error,
            Completed,
        }

        private readonly record struct Notification(NotificationKind Kind, T? Value, Exception? Error);
    }
}

using System.Reactive.Disposables;

namespace NaiveStrategy.Reactive;

/// <summary>Rx operators of the engine's per-symbol flow.</summary>
public static partial class StrategyObservable
{
    /// <summary>
    /// Merges <paramref name="sources"/> and delivers their items strictly one at a time. An item that
    /// arrives while another is being delivered — from another thread, or re-entrantly from the observer
    /// itself (a synchronous exchange that fills an order while the observer places it) — is queued and
    /// delivered right after, by the thread already delivering: no thread hop, no caller ever waits for
    /// another item's processing (no lock is held while the observer runs), nothing processed inside
    /// another item's processing. Queuing a value-type item
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

        // The gate only guards the queue and the "someone is delivering" flag; it is never held while
        // the observer runs. A delivery that held it would deadlock with any lock taken upstream (Rx's
        // Merge and SelectMany forward under their own gates): thread A delivering and calling the
        // exchange, which forwards under gate G, while thread B holds G and waits for this one.
        private sealed class Sink(IObserver<T> downstream, int active) : IObserver<T>
        {
            private readonly Lock _gate = new();
            private readonly Queue<Notification> _queue = new();
            private int _active = active;
            private bool _draining;
            private bool _done;

            // The hot path: an item that finds nobody delivering goes straight through, uncopied.
            public void OnNext(T value)
            {
                lock (_gate)
                {
                    if (_done)
                    {
                        return;
                    }

                    if (_draining)
                    {
                        _queue.Enqueue(new Notification(NotificationKind.Next, value, null));
                        return;
                    }

                    _draining = true;
                }

                Run(new Notification(NotificationKind.Next, value, null));
            }

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
                }

                Run(notification);
            }

            // The delivering thread: the first item, then whatever arrived meanwhile, in order, until the
            // queue is empty. If the observer throws, the flag is released so the next item delivers again.
            private void Run(Notification notification)
            {
                var delivering = true;
                try
                {
                    while (true)
                    {
                        if (!Forward(notification))
                        {
                            delivering = false;
                            return;
                        }

                        lock (_gate)
                        {
                            if (!_queue.TryDequeue(out notification))
                            {
                                _draining = false;
                                delivering = false;
                                return;
                            }
                        }
                    }
                }
                finally
                {
                    if (delivering)
                    {
                        lock (_gate)
                        {
                            _draining = false;
                        }
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
                        Finish();
                        downstream.OnError(notification.Error!);
                        return false;
                    default:
                        Finish();
                        downstream.OnCompleted();
                        return false;
                }
            }

            // Nothing is delivered after an error or the completion; _draining stays set so nothing starts.
            private void Finish()
            {
                lock (_gate)
                {
                    _done = true;
                    _queue.Clear();
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

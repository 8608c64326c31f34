using System.Collections.Concurrent;
using System.Reactive.Disposables;
using System.Runtime.ExceptionServices;

namespace NaiveStrategy.Reactive;

/// <summary>Rx operators of the engine's per-symbol flow.</summary>
internal static partial class StrategyObservable
{
    /// <summary>
    /// Merges <paramref name="sources"/> and delivers their items strictly one at a time. An item that
    /// arrives while another is being delivered — from another thread, or re-entrantly from the observer
    /// itself (a synchronous exchange that fills an order while the observer places it) — is queued and
    /// delivered right after, by the thread already delivering: no thread hop, no lock, no caller ever
    /// waiting for another item's processing, nothing processed inside another item's processing. An item
    /// that finds nobody delivering costs one compare-and-swap and one decrement; queuing a value-type item
    /// allocates nothing once the queue has grown. Like Rx's <c>Synchronize</c> on a
    /// <c>CurrentThreadScheduler</c>, for several sources and any thread. Completes when every source
    /// has completed; the first error ends the sequence. An observer that throws does not stop delivery:
    /// queued items are still delivered, then the exception reaches the caller.
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

        // No lock at all: a count of items to deliver (_pending) decides who delivers. The thread that moves
        // it from 0 to 1 delivers, then takes what others queued meanwhile, one count per item, until the
        // count is back to 0; everyone else queues and returns. Nobody ever waits for another item's
        // processing, so no lock taken upstream (Rx's Merge and SelectMany forward under their own gates)
        // can deadlock with a delivery. An item is queued before it is counted, so a counted item is
        // always in the queue when the deliverer looks for it.
        private sealed class Sink(IObserver<T> downstream, int active) : IObserver<T>
        {
            private readonly ConcurrentQueue<Notification> _queue = new();
            private int _pending;
            private int _active = active;
            private volatile bool _done;

            // The hot path: an item that finds nobody delivering goes straight through, uncopied.
            public void OnNext(T value)
            {
                if (_done)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref _pending, 1, 0) != 0)
                {
                    Enqueue(new Notification(NotificationKind.Next, value, null));
                    return;
                }

                ExceptionDispatchInfo? thrown = null;
                try
                {
                    downstream.OnNext(value);
                }
                catch (Exception ex)
                {
                    thrown = ExceptionDispatchInfo.Capture(ex);
                }

                if (Interlocked.Decrement(ref _pending) != 0)
                {
                    Drain(ref thrown);
                }

                thrown?.Throw();
            }

            public void OnError(Exception error) => Enqueue(new Notification(NotificationKind.Error, default, error));

            public void OnCompleted()
            {
                if (Interlocked.Decrement(ref _active) == 0)
                {
                    Enqueue(new Notification(NotificationKind.Completed, default, null));
                }
            }

            private void Enqueue(in Notification notification)
            {
                if (_done)
                {
                    return;
                }

                _queue.Enqueue(notification);
                if (Interlocked.Increment(ref _pending) == 1)
                {
                    ExceptionDispatchInfo? thrown = null;
                    Drain(ref thrown);
                    thrown?.Throw();
                }
            }

            // The delivering thread: every counted item, in order. An observer that throws does not stop
            // the delivery (nothing would deliver the rest); the first exception goes to the caller after.
            private void Drain(ref ExceptionDispatchInfo? thrown)
            {
                while (true)
                {
                    if (!_queue.TryDequeue(out var next))
                    {
                        return; // only after the end: the queue was cleared
                    }

                    try
                    {
                        if (!Forward(next))
                        {
                            return;
                        }
                    }
                    catch (Exception ex)
                    {
                        thrown ??= ExceptionDispatchInfo.Capture(ex);
                    }

                    if (Interlocked.Decrement(ref _pending) == 0)
                    {
                        return;
                    }
                }
            }

            // After an error or the completion nothing is delivered: _done stops new items and _pending
            // stays above 0, so no thread starts a delivery again.
            private bool Forward(in Notification notification)
            {
                switch (notification.Kind)
                {
                    case NotificationKind.Next:
                        downstream.OnNext(notification.Value!);
                        return true;
                    case NotificationKind.Error:
                        _done = true;
                        _queue.Clear();
                        downstream.OnError(notification.Error!);
                        return false;
                    default:
                        _done = true;
                        _queue.Clear();
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

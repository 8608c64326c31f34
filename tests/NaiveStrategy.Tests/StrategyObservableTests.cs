using System.Reactive.Linq;
using Microsoft.Extensions.Time.Testing;
using NaiveStrategy.Reactive;

namespace NaiveStrategy.Tests;

public sealed class StrategyObservableTests
{
    [Fact]
    public void MergeSerialized_ReentrantItem_DeliveredAfterTheCurrentOneNotInside()
    {
        var source = new ObserverSet<int>();
        var seen = new List<string>();
        using var _ = StrategyObservable.MergeSerialized(source.AsObservable()).Subscribe(i =>
        {
            seen.Add($"start {i}");
            if (i == 1)
            {
                source.OnNext(2); // e.g. a synchronous exchange answering while the item is handled
            }

            seen.Add($"end {i}");
        });

        source.OnNext(1);

        seen.Should().Equal("start 1", "end 1", "start 2", "end 2");
    }

    [Fact]
    public async Task MergeSerialized_ManyThreads_NeverTwoAtOnceAndNothingLost()
    {
        var sources = Enumerable.Range(0, 4).Select(_ => new ObserverSet<int>()).ToArray();
        var inside = 0;
        var overlaps = 0;
        var count = 0;
        using var _ = StrategyObservable.MergeSerialized(sources.Select(s => s.AsObservable()).ToArray()).Subscribe(_ =>
        {
            if (Interlocked.Increment(ref inside) > 1)
            {
                overlaps++;
            }

            count++;
            Interlocked.Decrement(ref inside);
        });

        await Task.WhenAll(sources.Select(s => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                s.OnNext(i);
            }
        })));

        (overlaps, count).Should().Be((0, 40_000));
    }

    [Fact]
    public async Task MergeSerialized_OtherThreadHoldsAnUpstreamLock_NeitherWaitsForTheOther()
    {
        // Thread A delivers 'a' and, inside, needs lock G (as a Merge or SelectMany upstream forwards
        // under its gate); thread B holds G while it hands 'b' in. If B waited for A's delivery, neither
        // would ever finish.
        var a = new ObserverSet<string>();
        var b = new ObserverSet<string>();
        var upstreamGate = new object();
        using var aInside = new ManualResetEventSlim();
        using var bHoldsGate = new ManualResetEventSlim();
        var seen = new List<string>();
        using var _ = StrategyObservable.MergeSerialized(a.AsObservable(), b.AsObservable()).Subscribe(item =>
        {
            seen.Add(item);
            if (item == "a")
            {
                aInside.Set();
                bHoldsGate.Wait(TimeSpan.FromSeconds(10));
                lock (upstreamGate)
                {
                    seen.Add("a took G");
                }
            }
        });

        var threadA = Task.Run(() => a.OnNext("a"));
        aInside.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        var threadB = Task.Run(() =>
        {
            lock (upstreamGate)
            {
                bHoldsGate.Set();
                b.OnNext("b");
            }
        });

        var both = Task.WhenAll(threadA, threadB);
        var deadlocked = await both.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(t => t.Exception?.InnerException is TimeoutException, TaskScheduler.Default);
        deadlocked.Should().BeFalse("a delivery that holds the merge's lock deadlocks with an upstream lock");
        seen.Should().Equal("a", "a took G", "b");
    }

    [Fact]
    public void MergeSerialized_ObserverThrew_NextItemStillDelivered()
    {
        // A bare source: Rx's own sources detach an observer that throws, which would hide the merge's part.
        var source = new BareSource<int>();
        var seen = new List<int>();
        using var _ = StrategyObservable.MergeSerialized(source).Subscribe(new ThrowingOnOne(seen));

        var first = () => source.Observer!.OnNext(1);
        first.Should().Throw<InvalidOperationException>();
        source.Observer!.OnNext(2);

        seen.Should().Equal(1, 2);
    }

    [Fact]
    public void MergeSerialized_ObserverThrewWithItemsQueued_QueuedItemsGoFirst()
    {
        var source = new BareSource<int>();
        var seen = new List<int>();
        using var _ = StrategyObservable.MergeSerialized(source).Subscribe(new QueueingThenThrowing(source, seen));

        var first = () => source.Observer!.OnNext(1); // queues 2 while it is handled, then throws
        first.Should().Throw<InvalidOperationException>();
        source.Observer!.OnNext(3);

        seen.Should().Equal(1, 2, 3);
    }

    [Fact]
    public void MergeSerialized_AllSourcesComplete_CompletesOnce()
    {
        var completed = 0;
        using var _ = StrategyObservable.MergeSerialized(Observable.Return(1), Observable.Return(2)).Subscribe(_ => { }, () => completed++);
        completed.Should().Be(1);
    }

    [Fact]
    public void Resubscribe_SourceFailsThenRecovers_SubscribesAgainAfterBackoffAndTellsAfterward()
    {
        var time = new FakeTimeProvider();
        var subscriptions = 0;
        var source = Observable.Defer(() => ++subscriptions < 3 ? Observable.Throw<int>(new IOException("dropped")) : Observable.Return(7).Concat(Observable.Never<int>()));
        var told = new List<(string? Error, int Attempt, TimeSpan Delay, int SubscriptionsThen)>();
        var items = new List<int>();

        using var _ = source.Resubscribe(attempt => TimeSpan.FromSeconds(attempt), (e, attempt, delay) => told.Add((e?.Message, attempt, delay, subscriptions)), time).Subscribe(items.Add);

        subscriptions.Should().Be(1);
        time.Advance(TimeSpan.FromSeconds(1));
        subscriptions.Should().Be(2);
        time.Advance(TimeSpan.FromSeconds(1));
        subscriptions.Should().Be(2, "the second wait is longer");
        time.Advance(TimeSpan.FromSeconds(1));
        subscriptions.Should().Be(3);
        items.Should().Equal(7);
        told.Should().Equal(("dropped", 1, TimeSpan.FromSeconds(1), 2), ("dropped", 2, TimeSpan.FromSeconds(2), 3));
    }

    [Fact]
    public void Resubscribe_Disposed_NeverSubscribesAgain()
    {
        var time = new FakeTimeProvider();
        var subscriptions = 0;
        var source = Observable.Defer(() =>
        {
            subscriptions++;
            return Observable.Empty<int>();
        });

        source.Resubscribe(_ => TimeSpan.FromSeconds(1), (_, _, _) => { }, time).Subscribe(_ => { }).Dispose();
        time.Advance(TimeSpan.FromMinutes(1));

        subscriptions.Should().Be(1);
    }

    private sealed class BareSource<T> : IObservable<T>
    {
        public IObserver<T>? Observer { get; private set; }

        public IDisposable Subscribe(IObserver<T> observer)
        {
            Observer = observer;
            return System.Reactive.Disposables.Disposable.Empty;
        }
    }

    private sealed class QueueingThenThrowing(BareSource<int> source, List<int> seen) : IObserver<int>
    {
        public void OnNext(int value)
        {
            seen.Add(value);
            if (value == 1)
            {
                source.Observer!.OnNext(2);
                throw new InvalidOperationException("observer bug");
            }
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }

    private sealed class ThrowingOnOne(List<int> seen) : IObserver<int>
    {
        public void OnNext(int value)
        {
            seen.Add(value);
            if (value == 1)
            {
                throw new InvalidOperationException("observer bug");
            }
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}

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
}

namespace NaiveStrategy.Reactive;

/// <summary>A function of an item taken by reference.</summary>
/// <typeparam name="TSource">The item type.</typeparam>
/// <typeparam name="TResult">The result type.</typeparam>
internal delegate TResult InFunc<TSource, out TResult>(in TSource item);

internal static partial class StrategyObservable
{
    /// <summary>Maps each item; the selector takes it by reference, so a large value-type item is not copied on the way.</summary>
    /// <typeparam name="TSource">The item type.</typeparam>
    /// <typeparam name="TResult">The mapped type.</typeparam>
    /// <param name="source">The items.</param>
    /// <param name="selector">The mapping; it must not throw.</param>
    public static IObservable<TResult> Map<TSource, TResult>(this IObservable<TSource> source, InFunc<TSource, TResult> selector)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(selector);
        return new Mapping<TSource, TResult>(source, selector);
    }

    private sealed class Mapping<TSource, TResult>(IObservable<TSource> source, InFunc<TSource, TResult> selector) : IObservable<TResult>
    {
        public IDisposable Subscribe(IObserver<TResult> observer) => source.Subscribe(new Sink(observer, selector));

        private sealed class Sink(IObserver<TResult> downstream, InFunc<TSource, TResult> selector) : IObserver<TSource>
        {
            public void OnNext(TSource value) => downstream.OnNext(selector(in value));

            public void OnError(Exception error) => downstream.OnError(error);

            public void OnCompleted() => downstream.OnCompleted();
        }
    }
}

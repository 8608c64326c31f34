namespace NaiveStrategy.Reactive;

internal static partial class StrategyObservable
{
    /// <summary>
    /// A Scan-like step for reducers whose state lives with the caller: applies <paramref name="decide"/> to
    /// each input and passes on only the decisions it returns (null: nothing changed). A quiet input
    /// costs one call, takes the input by reference (no copy of a large value type) and allocates nothing.
    /// </summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <typeparam name="TDecision">The decision type.</typeparam>
    /// <param name="source">The inputs, one at a time.</param>
    /// <param name="decide">The reducer step.</param>
    public static IObservable<TDecision> Reduce<TInput, TDecision>(this IObservable<TInput> source, InFunc<TInput, TDecision?> decide)
        where TDecision : class
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(decide);
        return new Reducing<TInput, TDecision>(source, decide);
    }

    private sealed class Reducing<TInput, TDecision>(IObservable<TInput> source, InFunc<TInput, TDecision?> decide) : IObservable<TDecision>
        where TDecision : class
    {
        public IDisposable Subscribe(IObserver<TDecision> observer) => source.Subscribe(new Sink(observer, decide));

        private sealed class Sink(IObserver<TDecision> downstream, InFunc<TInput, TDecision?> decide) : IObserver<TInput>
        {
            public void OnNext(TInput value)
            {
                if (decide(in value) is { } decision)
                {
                    downstream.OnNext(decision);
                }
            }

            public void OnError(Exception error) => downstream.OnError(error);

            public void OnCompleted() => downstream.OnCompleted();
        }
    }
}

using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace NaiveStrategy.Reactive;

/// <summary>
/// The observers of a hot source, for exchange implementations: hand out <see cref="AsObservable"/>
/// and call <see cref="OnNext"/> from the source. Copy-on-write, so publishing takes no lock and
/// allocates nothing; an observer that throws does not stop the others.
/// Not a subject: it cannot be completed by a subscriber and never appears in a public interface.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class ObserverSet<T>
{
    private IObserver<T>[] _observers = [];
    private readonly IObservable<T> _observable;

    /// <summary>Creates an empty set.</summary>
    public ObserverSet() => _observable = Observable.Create<T>(Add);

    /// <summary>True when someone listens.</summary>
    public bool HasObservers => Volatile.Read(ref _observers).Length > 0;

    /// <summary>The observable face of the set.</summary>
    public IObservable<T> AsObservable() => _observable;

    /// <summary>Sends <paramref name="value"/> to every current observer.</summary>
    /// <exception cref="AggregateException">Observers threw; all others still received the value.</exception>
    public void OnNext(T value)
    {
        List<Exception>? errors = null;
        foreach (var observer in Volatile.Read(ref _observers))
        {
            try
            {
                observer.OnNext(value);
            }
            catch (Exception ex)
            {
                (errors ??= []).Add(ex);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException("Observers threw while receiving a value.", errors);
        }
    }

    /// <summary>Completes every current observer and removes them.</summary>
    public void OnCompleted()
    {
        foreach (var observer in Interlocked.Exchange(ref _observers, []))
        {
            observer.OnCompleted();
        }
    }

    private IDisposable Add(IObserver<T> observer)
    {
        ImmutableInterlockedUpdate(o => [.. o, observer]);
        return Disposable.Create(() => ImmutableInterlockedUpdate(o => Array.FindAll(o, x => !ReferenceEquals(x, observer))));
    }

    private void ImmutableInterlockedUpdate(Func<IObserver<T>[], IObserver<T>[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _observers);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _observers, change(current), current), current))
            {
                return;
            }
        }
    }
}

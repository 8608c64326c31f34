namespace NaiveStrategy.Testing;

/// <summary>
/// Records what an <see cref="IExchange.OrderUpdates"/> subscription receives, in arrival order, so a
/// contract test can wait for an update and then check the whole sequence.
/// </summary>
internal sealed class OrderUpdateRecorder : IObserver<OrderUpdate>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<OrderUpdate> _updates = [];
    private IDisposable? _subscription;
    private Exception? _error;
    private bool _completed;

    private OrderUpdateRecorder()
    {
    }

    public static OrderUpdateRecorder Subscribe(IExchange exchange)
    {
        var recorder = new OrderUpdateRecorder();
        recorder._subscription = exchange.OrderUpdates.Subscribe(recorder);
        return recorder;
    }

    /// <summary>The updates of one order received so far, in arrival order.</summary>
    public IReadOnlyList<OrderUpdate> Of(string clientOrderId)
    {
        lock (_gate)
        {
            ThrowIfEnded();
            return _updates.Where(u => string.Equals(u.ClientOrderId, clientOrderId, StringComparison.Ordinal)).ToArray();
        }
    }

    public void OnNext(OrderUpdate value)
    {
        lock (_gate)
        {
            _updates.Add(value);
        }
    }

    public void OnError(Exception error)
    {
        lock (_gate)
        {
            _error = error;
        }
    }

    public void OnCompleted()
    {
        lock (_gate)
        {
            _completed = true;
        }
    }

    public void Dispose() => _subscription?.Dispose();

    // The engine subscribes once and relies on the stream for the life of the process: it must not end.
    private void ThrowIfEnded()
    {
        if (_error is not null)
        {
            throw new Xunit.Sdk.XunitException("IExchange.OrderUpdates failed; the stream must reconnect by itself instead: " + _error);
        }

        if (_completed)
        {
            throw new Xunit.Sdk.XunitException("IExchange.OrderUpdates completed; the stream must stay open while subscribed.");
        }
    }
}

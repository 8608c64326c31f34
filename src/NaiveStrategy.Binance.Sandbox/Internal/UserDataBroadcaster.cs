using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// The user data subscriptions and what they receive: executionReports, outboundAccountPosition and balanceUpdate
/// events, each sent to every subscription in the time unit it asked for. Called by the operations under the
/// engine's gate, so events leave in the exchange's order.
/// </summary>
internal sealed class UserDataBroadcaster(SandboxFaults faults, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, UserDataSubscription> _subscriptions = new();
    private long _nextSubscriptionId;

    public bool IsEmpty => _subscriptions.IsEmpty;

    public long Subscribe(SocketConnection connection, bool microseconds)
    {
        var id = Interlocked.Increment(ref _nextSubscriptionId) - 1;
        _subscriptions[id] = new UserDataSubscription(id, connection, faults, time) { Microseconds = microseconds };
        return id;
    }

    public bool Unsubscribe(long id) => _subscriptions.TryRemove(id, out _);

    /// <summary>
    /// Ends a subscription the client asked to end (<c>userDataStream.unsubscribe</c>, <c>session.logout</c>) and tells it
    /// with <c>eventStreamTerminated</c>, its last event (user-data-stream.md, "Event Stream Terminated").
    /// </summary>
    public bool Terminate(long id)
    {
        if (!_subscriptions.TryRemove(id, out var subscription))
        {
            return false;
        }

        var json = new JsonObject { ["e"] = "eventStreamTerminated", ["E"] = time.GetUtcNow().ToUnixTimeMilliseconds() };
        subscription.Deliver((subscription.Microseconds ? TimeUnits.ToMicroseconds(json)! : json).ToJsonString(), report: false);
        return true;
    }

    public int TerminateAll() => _subscriptions.Keys.ToArray().Count(Terminate);

    public IEnumerable<long> SubscriptionsOf(SocketConnection connection) =>
        _subscriptions.Values.Where(s => ReferenceEquals(s.Connection, connection)).Select(s => s.Id).Order();

    /// <summary>One executionReport per delta of <paramref name="order"/>.</summary>
    public void Reports(OrderRecord order, IReadOnlyList<ExecutionDelta> deltas, long nowMs)
    {
        foreach (var delta in deltas)
        {
            Report(order, delta, nowMs);
        }
    }

    public void Report(OrderRecord order, ExecutionDelta delta, long nowMs)
    {
        if (!_subscriptions.IsEmpty)
        {
            Deliver(BinanceJson.ExecutionReport(order, delta, nowMs));
        }
    }

    /// <summary>outboundAccountPosition with <paramref name="balances"/>.</summary>
    public void AccountPosition(IReadOnlyList<Balance> balances, long nowMs)
    {
        if (!_subscriptions.IsEmpty)
        {
            Deliver(BinanceJson.AccountPosition(balances, nowMs));
        }
    }

    public void Deliver(JsonObject json)
    {
        if (_subscriptions.IsEmpty)
        {
            return;
        }

        var isReport = (string?)json["e"] == "executionReport";
        var report = json.ToJsonString();
        string? microseconds = null;
        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Deliver(subscription.Microseconds ? microseconds ??= TimeUnits.ToMicroseconds(json)!.ToJsonString() : report, isReport);
        }
    }
}

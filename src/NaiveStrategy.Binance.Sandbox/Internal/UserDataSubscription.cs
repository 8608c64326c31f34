using System.Globalization;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// A <c>userDataStream.subscribe.signature</c> subscription: wraps each event as
/// <c>{"subscriptionId":N,"event":{...}}</c> and applies the duplicate and reorder faults.
/// </summary>
internal sealed class UserDataSubscription(long id, SocketConnection connection, SandboxFaults faults, TimeProvider time)
{
    private static readonly TimeSpan ReorderHold = TimeSpan.FromMilliseconds(250);
    private readonly Lock _gate = new();
    private string? _held;
    private long _heldVersion;

    public long Id { get; } = id;

    public SocketConnection Connection { get; } = connection;

    /// <summary>The connection asked for microsecond times (<c>timeUnit=MICROSECOND</c>).</summary>
    public bool Microseconds { get; init; }

    /// <summary>Sends an event; the duplicate and reorder faults apply to executionReports only (<paramref name="report"/>).</summary>
    public void Deliver(string eventJson, bool report = true)
    {
        var message = "{\"subscriptionId\":" + Id.ToString(CultureInfo.InvariantCulture) + ",\"event\":" + eventJson + "}";
        lock (_gate)
        {
            if (!report)
            {
                Connection.TrySend(message);
                return;
            }

            if (faults.ReorderExecutionReports)
            {
                if (_held is null)
                {
                    _held = message;
                    var version = ++_heldVersion;
                    _ = FlushLaterAsync(version);
                    return;
                }

                Send(message);
                Send(_held);
                _held = null;
                return;
            }

            if (_held is not null)
            {
                Send(_held);
                _held = null;
            }

            Send(message);
        }
    }

    private void Send(string message)
    {
        Connection.TrySend(message);
        if (faults.DuplicateExecutionReports)
        {
            Connection.TrySend(message);
        }
    }

    // A held report with no successor is sent late rather than never.
    private async Task FlushLaterAsync(long version)
    {
        await Task.Delay(ReorderHold, time);
        lock (_gate)
        {
            if (_held is not null && _heldVersion == version)
            {
                Send(_held);
                _held = null;
            }
        }
    }
}

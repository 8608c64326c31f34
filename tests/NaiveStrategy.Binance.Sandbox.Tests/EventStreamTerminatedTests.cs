using System.Globalization;
using System.Text.Json;

namespace NaiveStrategy.Binance.Sandbox.Tests;

// user-data-stream.md, "Event Stream Terminated": a subscription ended by userDataStream.unsubscribe (or session.logout)
// gets eventStreamTerminated as its last event.
public sealed class EventStreamTerminatedTests
{
    [Fact]
    public async Task Unsubscribe_OneSubscription_EventStreamTerminatedWithItsId()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (socket, subscriptionId) = await sandbox.SubscribeUserDataAsync();

        await SandboxHarness.SendAsync(socket, "{\"id\":\"u1\",\"method\":\"userDataStream.unsubscribe\",\"params\":{\"subscriptionId\":" + subscriptionId.ToString(CultureInfo.InvariantCulture) + "}}");

        var terminated = await NextEventAsync(socket);
        terminated.GetProperty("subscriptionId").GetInt64().Should().Be(subscriptionId);
        terminated.GetProperty("event").GetProperty("e").GetString().Should().Be("eventStreamTerminated");
        terminated.GetProperty("event").GetProperty("E").GetInt64().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task EndUserDataSubscriptions_OneOpen_TerminatedWithItsId()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (socket, subscriptionId) = await sandbox.SubscribeUserDataAsync();

        sandbox.Server.EndUserDataSubscriptions().Should().Be(1);

        var terminated = await NextEventAsync(socket);
        terminated.GetProperty("subscriptionId").GetInt64().Should().Be(subscriptionId);
        terminated.GetProperty("event").GetProperty("e").GetString().Should().Be("eventStreamTerminated");
    }

    // The next message that is an event (answers to requests are skipped).
    private static async Task<JsonElement> NextEventAsync(System.Net.WebSockets.ClientWebSocket socket)
    {
        while (true)
        {
            var message = await SandboxHarness.ReceiveAsync(socket);
            if (message.TryGetProperty("event", out _))
            {
                return message;
            }
        }
    }
}

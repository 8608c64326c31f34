namespace NaiveStrategy.Binance.Tests;

// user-data-stream.md, "Event Stream Terminated": Binance may end a user data subscription while the connection stays
// open. The adapter subscribes again (and resyncs) instead of waiting, deaf, for the connection to drop.
public sealed class EventStreamTerminatedTests : SandboxExchangeTests
{
    [Fact]
    public async Task OrderUpdates_SubscriptionTerminated_SubscribesAgainAndDeliversLaterFills()
    {
        var updates = new List<OrderUpdate>();
        using var subscription = Exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        await Signals.WaitAsync(109);

        Server.EndUserDataSubscriptions().Should().Be(1);

        await Signals.WaitAsync(109, count: 2, patience: TimeSpan.FromSeconds(10));
        (await Exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "after-b", OrderSide.Buy, 0.5m, 40m))).IsSuccess.Should().BeTrue();
        Server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1_000m, T0));
        await Wait.UntilAsync(() => { lock (updates) { return updates.Any(u => u.ClientOrderId == "after-b" && u.Status == OrderStatus.Filled); } }, "the fill after the new subscription", TimeSpan.FromSeconds(5));
    }
}

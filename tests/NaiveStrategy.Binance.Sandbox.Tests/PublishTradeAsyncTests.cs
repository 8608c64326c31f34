using System.Net;

namespace NaiveStrategy.Binance.Sandbox.Tests;

// PublishTradeAsync: the same publication as PublishTrade, for callers that must not block a thread while they wait.
public sealed class PublishTradeAsyncTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PublishTradeAsync_CrossingTrade_FillsTheRestingOrder()
    {
        await using var h = await SandboxHarness.StartAsync();
        (await h.PlaceAsync("pub-1")).Response.StatusCode.Should().Be(HttpStatusCode.OK); // BUY 100 at 0.5

        await h.Server.PublishTradeAsync(new TradeEvent("XRPUSDT", 1, 0.49m, 1_000m, T0));

        h.Server.Exchange.Orders.Should().ContainSingle().Which.Status.Should().Be(OrderStatus.Filled);
    }

    [Fact]
    public async Task PublishTradeAsync_Canceled_NothingPublished()
    {
        await using var h = await SandboxHarness.StartAsync();
        (await h.PlaceAsync("pub-2")).Response.StatusCode.Should().Be(HttpStatusCode.OK);

        var act = () => h.Server.PublishTradeAsync(new TradeEvent("XRPUSDT", 1, 0.49m, 1_000m, T0), new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        h.Server.Exchange.Orders.Should().ContainSingle().Which.Status.Should().Be(OrderStatus.New);
    }
}

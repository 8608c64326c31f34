using System.Net;

namespace NaiveStrategy.Binance.Sandbox.Tests;

// Issue #24, Binance's "Unfilled Order Count" rules (faqs/order_count_decrement.md): only placed orders count, and an
// order's first fill takes it off the count; X-MBX-ORDER-COUNT-* say so.
public sealed class UnfilledOrderCountTests
{
    [Fact]
    public async Task PlaceOrder_MakerFilled_CountDropsAndTheLimitAllowsAnotherOrder()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.OrdersPerDay = 2);
        await sandbox.PlaceAsync("a-1", price: "0.5");
        await sandbox.PlaceAsync("b-1", price: "0.4");
        sandbox.Trade(0.45m, 1000m);

        var (third, _) = await sandbox.PlaceAsync("c-1", price: "0.3");
        var (fourth, json) = await sandbox.PlaceAsync("d-1", price: "0.3");

        third.StatusCode.Should().Be(HttpStatusCode.OK, "a-1's fill took it off the count");
        third.Headers.GetValues("X-MBX-ORDER-COUNT-1D").Should().Equal("2");
        fourth.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        json.GetProperty("code").GetInt32().Should().Be(-1015);
    }

    [Fact]
    public async Task PlaceOrder_TakerFilledOnArrival_AnswerHeadersShowTheCountAfterTheFill()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.PlaceAsync("rest-1", price: "0.4");
        sandbox.Trade(0.5m, 1000m);

        var (response, json) = await sandbox.PlaceAsync("taker-1", price: "0.51");

        json.GetProperty("status").GetString().Should().Be("FILLED");
        response.Headers.GetValues("X-MBX-ORDER-COUNT-10S").Should().Equal("1");
        response.Headers.GetValues("X-MBX-ORDER-COUNT-1D").Should().Equal("1");
    }

    [Fact]
    public async Task PlaceOrder_Refused_NotCounted()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.PlaceAsync("ok-1");

        await sandbox.PlaceAsync("bad-1", price: "0.50001");
        var (response, _) = await sandbox.PlaceAsync("ok-2");

        response.Headers.GetValues("X-MBX-ORDER-COUNT-1D").Should().ContainSingle().Which.Should().Be("2", "the filter failure placed no order");
    }
}

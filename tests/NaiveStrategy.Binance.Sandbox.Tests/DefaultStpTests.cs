using System.Net;

namespace NaiveStrategy.Binance.Sandbox.Tests;

// Binance's spot symbols list defaultSelfTradePreventionMode EXPIRE_MAKER (stp_faq.md: each symbol has its own default,
// the mode of an order placed without one); the sandbox defaults the same way.
public sealed class DefaultStpTests
{
    [Fact]
    public async Task ExchangeInfo_DefaultOptions_DefaultModeExpireMaker()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var json = await SandboxHarness.JsonAsync(await sandbox.Http.GetAsync("/api/v3/exchangeInfo?symbol=XRPUSDT"));

        json.GetProperty("symbols")[0].GetProperty("defaultSelfTradePreventionMode").GetString().Should().Be("EXPIRE_MAKER");
    }

    [Fact]
    public async Task PlaceOrder_NoModeMeetingOwnRestingOrder_TheRestingOrderExpiresInMatch()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.Deposit("XRP", 100m);
        (await sandbox.PlaceAsync("own-sell", "SELL", "0.5000", "40")).Response.StatusCode.Should().Be(HttpStatusCode.OK);

        var (response, buy) = await sandbox.PlaceAsync("own-buy", "BUY", "0.5000", "40");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        buy.GetProperty("status").GetString().Should().Be("NEW", "the taker rests: the maker it met is the one expired");
        var (_, sell) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=own-sell");
        sell.GetProperty("status").GetString().Should().Be("EXPIRED_IN_MATCH");
        sell.GetProperty("selfTradePreventionMode").GetString().Should().Be("EXPIRE_MAKER");
    }
}

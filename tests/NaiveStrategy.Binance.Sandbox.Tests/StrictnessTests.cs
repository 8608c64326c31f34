using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox.Tests;

// Issue #24: where the sandbox was kinder than Binance. Each test fails on the sandbox of 78866f2.
public sealed class StrictnessTests
{
    private static string Query(long timestamp, string rest) => rest + "&timestamp=" + timestamp.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task PlaceOrder_CrossesTheLastTrade_FullAnswerListsTheTakerFillAtTheTradePrice()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Trade(0.5m, 1000m);

        var (_, json) = await sandbox.PlaceAsync("taker-1", "BUY", "0.5100", "100");

        json.GetProperty("status").GetString().Should().Be("FILLED");
        json.GetProperty("executedQty").GetString().Should().Be("100.00000000");
        json.GetProperty("cummulativeQuoteQty").GetString().Should().Be("50.00000000", "100 at the trade's 0.5, not at the 0.51 limit");
        var fill = json.GetProperty("fills").EnumerateArray().Should().ContainSingle().Subject;
        fill.GetProperty("price").GetString().Should().Be("0.50000000");
        fill.GetProperty("qty").GetString().Should().Be("100.00000000");
        fill.GetProperty("commission").GetString().Should().Be("0.10000000");
        fill.GetProperty("commissionAsset").GetString().Should().Be("XRP");
        fill.GetProperty("tradeId").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task UserDataStream_TakerThenMakerFill_ReportsMakerSideAndNoPreventedMatchId()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _socket = socket;
        sandbox.Trade(0.5m, 1000m);

        await sandbox.PlaceAsync("taker-1", "BUY", "0.5100", "100");
        var takerNew = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");
        var takerTrade = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");
        await sandbox.PlaceAsync("maker-1", "BUY", "0.4900", "100");
        var makerNew = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");
        sandbox.Trade(0.48m, 1000m, id: 2);
        var makerTrade = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");

        (takerNew.GetProperty("x").GetString(), takerNew.GetProperty("m").GetBoolean()).Should().Be(("NEW", false));
        (takerTrade.GetProperty("x").GetString(), takerTrade.GetProperty("L").GetString(), takerTrade.GetProperty("m").GetBoolean()).Should().Be(("TRADE", "0.50000000", false));
        makerNew.GetProperty("x").GetString().Should().Be("NEW");
        (makerTrade.GetProperty("c").GetString(), makerTrade.GetProperty("L").GetString(), makerTrade.GetProperty("m").GetBoolean()).Should().Be(("maker-1", "0.49000000", true));
        new[] { takerNew, takerTrade, makerNew, makerTrade }.Where(e => e.TryGetProperty("v", out var _)).Should().BeEmpty("v (preventedMatchId) appears only when a self-trade was prevented");
    }

    [Fact]
    public async Task MyTrades_TakerAndMakerFills_IsMakerSaysWhich()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Trade(0.5m, 1000m);
        await sandbox.PlaceAsync("taker-1", "BUY", "0.5100", "100");
        await sandbox.PlaceAsync("maker-1", "BUY", "0.4900", "100");
        sandbox.Trade(0.48m, 1000m, id: 2);

        var (_, trades) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=XRPUSDT");

        trades.EnumerateArray().Select(t => (t.GetProperty("price").GetString(), t.GetProperty("isMaker").GetBoolean()))
            .Should().Equal(("0.50000000", false), ("0.49000000", true));
    }

    [Fact]
    public async Task QueryOrder_OrderIdWithAnotherOrdersClientId_Returns2039()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (_, first) = await sandbox.PlaceAsync("first-1");
        await sandbox.PlaceAsync("second-1");

        var (response, json) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", $"symbol=XRPUSDT&orderId={first.GetProperty("orderId").GetInt64()}&origClientOrderId=second-1");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        json.GetProperty("code").GetInt32().Should().Be(-2039);
    }

    [Fact]
    public async Task PlaceOrder_101stOrderIn10Seconds_Returns429With1015UntilTheWindowEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = await SandboxHarness.StartAsync(o => { o.TimeProvider = time; o.Balances["USDT"] = 10_000m; });
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < 100; i++)
        {
            var ok = await sandbox.SignedAsync(HttpMethod.Post, "/api/v3/order", Query(now, $"symbol=XRPUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=20&price=0.5&newClientOrderId=o{i}"));
            ok.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var refused = await sandbox.SignedAsync(HttpMethod.Post, "/api/v3/order", Query(now, "symbol=XRPUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=20&price=0.5&newClientOrderId=o100"));
        var error = await SandboxHarness.JsonAsync(refused);
        time.Advance(TimeSpan.FromSeconds(10));
        var later = await sandbox.SignedAsync(HttpMethod.Post, "/api/v3/order", Query(time.GetUtcNow().ToUnixTimeMilliseconds(), "symbol=XRPUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=20&price=0.5&newClientOrderId=o100"));

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (error.GetProperty("code").GetInt32(), error.GetProperty("msg").GetString()).Should().Be((-1015, "Too many new orders; current limit is 100 orders per 10 SECOND."));
        refused.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(10));
        refused.Headers.GetValues("X-MBX-ORDER-COUNT-10S").Should().Equal("100");
        later.StatusCode.Should().Be(HttpStatusCode.OK);
        later.Headers.GetValues("X-MBX-ORDER-COUNT-10S").Should().Equal("1");
        later.Headers.GetValues("X-MBX-ORDER-COUNT-1D").Should().Equal("101");
    }

    [Fact]
    public async Task PlaceOrder_DailyLimitReached_Returns429With1015PerDay()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.OrdersPerDay = 1);
        await sandbox.PlaceAsync("day-1");

        var (response, json) = await sandbox.PlaceAsync("day-2");

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (json.GetProperty("code").GetInt32(), json.GetProperty("msg").GetString()).Should().Be((-1015, "Too many new orders; current limit is 1 orders per 1 DAY."));
    }

    [Fact]
    public async Task PlaceAndCancel_Succeed_WeighNothingAndAFailedPlacementWeighsOne()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (placed, _) = await sandbox.PlaceAsync("w-1");
        var canceled = await sandbox.SignedAsync(HttpMethod.Delete, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=w-1");
        var (failed, _) = await sandbox.PlaceAsync("w-2", price: "0.50001");

        placed.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal("0");
        canceled.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal("0");
        failed.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal("1");
    }

    [Fact]
    public async Task MyTrades_WithOrderId_Weighs5()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=XRPUSDT&orderId=1");

        response.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal("5");
    }

    [Fact]
    public async Task ExchangeInfo_RateLimits_AreTodays()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var json = await SandboxHarness.JsonAsync(await sandbox.Http.GetAsync("/api/v3/exchangeInfo"));

        json.GetProperty("rateLimits").EnumerateArray()
            .Select(l => (l.GetProperty("rateLimitType").GetString(), l.GetProperty("interval").GetString(), l.GetProperty("intervalNum").GetInt32(), l.GetProperty("limit").GetInt32()))
            .Should().Equal(("REQUEST_WEIGHT", "MINUTE", 1, 6000), ("ORDERS", "SECOND", 10, 100), ("ORDERS", "DAY", 1, 200_000), ("RAW_REQUESTS", "MINUTE", 5, 300_000));
    }

    [Fact]
    public async Task SignedRequest_MicrosecondTimestamp_Accepted()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", "timestamp=" + (SandboxHarness.Now * 1000).ToString(CultureInfo.InvariantCulture));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Time_MicrosecondTimeUnitHeader_AnswersInMicroseconds()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3/time");
        request.Headers.Add("X-MBX-TIME-UNIT", "MICROSECOND");

        var before = SandboxHarness.Now;
        var json = await SandboxHarness.JsonAsync(await sandbox.Http.SendAsync(request));

        json.GetProperty("serverTime").GetInt64().Should().BeGreaterThanOrEqualTo(before * 1000).And.BeLessThan((SandboxHarness.Now + 1) * 1000);
    }

    [Fact]
    public async Task Time_UnknownTimeUnit_Returns1194()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3/time");
        request.Headers.Add("X-MBX-TIME-UNIT", "NANOSECOND");

        var response = await sandbox.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1194);
    }

    [Fact]
    public async Task WebSocketApi_MicrosecondTimeUnit_UserDataEventsInMicroseconds()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl + "?timeUnit=MICROSECOND");
        await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest("s", "userDataStream.subscribe.signature", []));
        (await SandboxHarness.ReceiveAsync(socket)).GetProperty("status").GetInt32().Should().Be(200);
        var before = SandboxHarness.Now;

        await sandbox.PlaceAsync("us-1");
        var report = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");

        report.GetProperty("E").GetInt64().Should().BeGreaterThanOrEqualTo(before * 1000);
        report.GetProperty("O").GetInt64().Should().BeGreaterThanOrEqualTo(before * 1000);
    }

    [Fact]
    public async Task UserDataSubscribe_SecondOnOneConnection_Returns2035()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _socket = socket;

        await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest("sub-2", "userDataStream.subscribe.signature", []));
        var second = await SandboxHarness.ReceiveAsync(socket);

        second.GetProperty("status").GetInt32().Should().Be(400);
        second.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-2035);
    }

    [Fact]
    public async Task UserDataStream_PlacementAndFill_OutboundAccountPositionAfterEachReport()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _socket = socket;

        await sandbox.PlaceAsync("acc-1", "BUY", "0.5000", "100");
        var placedReport = (await SandboxHarness.ReceiveAsync(socket)).GetProperty("event");
        var placedPosition = (await SandboxHarness.ReceiveAsync(socket)).GetProperty("event");
        sandbox.Trade(0.49m, 1000m);
        var filledReport = (await SandboxHarness.ReceiveAsync(socket)).GetProperty("event");
        var filledPosition = (await SandboxHarness.ReceiveAsync(socket)).GetProperty("event");

        (placedReport.GetProperty("e").GetString(), filledReport.GetProperty("e").GetString()).Should().Be(("executionReport", "executionReport"));
        Balances(placedPosition).Should().Equal(("XRP", "0.00000000", "0.00000000"), ("USDT", "950.00000000", "50.00000000"));
        Balances(filledPosition).Should().Equal(("XRP", "99.90000000", "0.00000000"), ("USDT", "950.00000000", "0.00000000"));
    }

    [Fact]
    public async Task Deposit_Subscribed_BalanceUpdateThenOutboundAccountPosition()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _socket = socket;

        sandbox.Server.Deposit("USDT", 25m);
        var update = (await SandboxHarness.ReceiveAsync(socket)).GetProperty("event");
        var position = (await SandboxHarness.ReceiveAsync(socket)).GetProperty("event");

        (update.GetProperty("e").GetString(), update.GetProperty("a").GetString(), update.GetProperty("d").GetString()).Should().Be(("balanceUpdate", "USDT", "25.00000000"));
        Balances(position).Should().Equal(("USDT", "1025.00000000", "0.00000000"));
    }

    private static (string?, string?, string?)[] Balances(JsonElement position)
    {
        position.GetProperty("e").GetString().Should().Be("outboundAccountPosition");
        return position.GetProperty("B").EnumerateArray().Select(b => (b.GetProperty("a").GetString(), b.GetProperty("f").GetString(), b.GetProperty("l").GetString())).ToArray();
    }

    [Theory]
    [InlineData("EXPIRE_MAKER")]
    [InlineData("EXPIRE_TAKER")]
    [InlineData("EXPIRE_BOTH")]
    [InlineData("DECREMENT")]
    [InlineData("ANYTHING")]
    public async Task PlaceOrder_StpModeTheSymbolDoesNotAllow_Returns1013(string mode)
    {
        await using var sandbox = await SandboxHarness.StartAsync(o =>
        {
            o.AllowedSelfTradePreventionModes.Clear();
            o.AllowedSelfTradePreventionModes.Add(SelfTradePreventionMode.None);
            o.DefaultSelfTradePreventionMode = SelfTradePreventionMode.None;
        });

        var (response, json) = await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", $"symbol=XRPUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=100&price=0.5&selfTradePreventionMode={mode}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (json.GetProperty("code").GetInt32(), json.GetProperty("msg").GetString()).Should().Be((-1013, "This symbol does not allow the specified self-trade prevention mode."));
        sandbox.Server.Exchange.Orders.Should().BeEmpty();
    }

    [Fact]
    public async Task PlaceOrder_StpModeNone_AcceptedAndEchoed()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (response, json) = await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", "symbol=XRPUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=100&price=0.5&selfTradePreventionMode=NONE");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        json.GetProperty("selfTradePreventionMode").GetString().Should().Be("NONE");
    }
}

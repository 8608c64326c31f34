using System.Net;
using System.Text;
using System.Text.Json;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class RestTests
{
    [Fact]
    public async Task Ping_Always_ReturnsEmptyObjectWithWeightHeader()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.GetAsync("/api/v3/ping");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("{}");
        response.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal("1");
    }

    [Fact]
    public async Task Start_AnyPort_ListensOnLoopbackOnly()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        sandbox.Server.RestBaseUrl.Should().Be($"http://127.0.0.1:{sandbox.Server.Port}");
        sandbox.Server.WebSocketApiUrl.Should().Be($"ws://127.0.0.1:{sandbox.Server.Port}/ws-api/v3");
        sandbox.Server.StreamBaseUrl.Should().Be($"ws://127.0.0.1:{sandbox.Server.Port}");
    }

    [Fact]
    public async Task Time_Always_ReturnsServerTimeInMilliseconds()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var json = await SandboxHarness.JsonAsync(await sandbox.Http.GetAsync("/api/v3/time"));

        json.GetProperty("serverTime").GetInt64().Should().BeCloseTo(SandboxHarness.Now, 5000);
    }

    [Fact]
    public async Task ExchangeInfo_WithSymbol_ReturnsFiltersWithNumbersAsStrings()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var json = await SandboxHarness.JsonAsync(await sandbox.Http.GetAsync("/api/v3/exchangeInfo?symbol=XRPUSDT"));

        var symbol = json.GetProperty("symbols").EnumerateArray().Should().ContainSingle().Subject;
        symbol.GetProperty("symbol").GetString().Should().Be("XRPUSDT");
        var filters = symbol.GetProperty("filters").EnumerateArray().ToDictionary(f => f.GetProperty("filterType").GetString()!);
        filters["PRICE_FILTER"].GetProperty("tickSize").GetString().Should().Be("0.00010000");
        filters["LOT_SIZE"].GetProperty("stepSize").GetString().Should().Be("1.00000000");
        filters["MIN_NOTIONAL"].GetProperty("minNotional").GetString().Should().Be("10.00000000");
    }

    [Fact]
    public async Task ExchangeInfo_SymbolsArray_ReturnsEach()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var json = await SandboxHarness.JsonAsync(await sandbox.Http.GetAsync("/api/v3/exchangeInfo?symbols=" + Uri.EscapeDataString("[\"XRPUSDT\"]")));

        json.GetProperty("symbols").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task ExchangeInfo_UnknownSymbol_Returns1121()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.GetAsync("/api/v3/exchangeInfo?symbol=NOPE");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Be("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
    }

    [Fact]
    public async Task PlaceOrder_Valid_ReturnsFullResponseWithEightDecimalStringsAndOrderCounts()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (response, json) = await sandbox.PlaceAsync("order-1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        json.GetProperty("symbol").GetString().Should().Be("XRPUSDT");
        json.GetProperty("clientOrderId").GetString().Should().Be("order-1");
        json.GetProperty("orderId").GetInt64().Should().BePositive();
        json.GetProperty("price").GetString().Should().Be("0.50000000");
        json.GetProperty("origQty").GetString().Should().Be("100.00000000");
        json.GetProperty("executedQty").GetString().Should().Be("0.00000000");
        json.GetProperty("status").GetString().Should().Be("NEW");
        json.GetProperty("timeInForce").GetString().Should().Be("GTC");
        json.GetProperty("fills").GetArrayLength().Should().Be(0);
        response.Headers.GetValues("X-MBX-ORDER-COUNT-10S").Should().Equal("1");
        response.Headers.GetValues("X-MBX-ORDER-COUNT-1D").Should().Equal("1");
    }

    [Fact]
    public async Task PlaceOrder_AckResponseType_ReturnsAckShape()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (_, json) = await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order",
            "symbol=XRPUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=100&price=0.5&newClientOrderId=ack-1&newOrderRespType=ACK");

        json.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("symbol", "orderId", "orderListId", "clientOrderId", "transactTime");
    }

    [Fact]
    public async Task PlaceOrder_ParametersInFormBody_SignatureOverQueryAndBodyAccepted()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var query = "symbol=XRPUSDT&side=BUY";
        var body = $"type=LIMIT&timeInForce=GTC&quantity=100&price=0.5&newClientOrderId=body-1&timestamp={SandboxHarness.Now}";
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v3/order?{query}")
        {
            Content = new StringContent($"{body}&signature={SandboxHarness.Sign(query + body)}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-MBX-APIKEY", SandboxHarness.ApiKey);

        var response = await sandbox.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("0.50005", "100", "Filter failure: PRICE_FILTER")]
    [InlineData("0.5", "1.5", "Filter failure: LOT_SIZE")]
    [InlineData("0.5", "10", "Filter failure: MIN_NOTIONAL")]
    public async Task PlaceOrder_FilterViolation_Returns1013NamingTheFilter(string price, string quantity, string message)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (response, json) = await sandbox.PlaceAsync("bad-1", price: price, quantity: quantity);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        json.GetProperty("code").GetInt32().Should().Be(-1013);
        json.GetProperty("msg").GetString().Should().Be(message);
    }

    [Fact]
    public async Task PlaceOrder_InsufficientBalance_Returns2010()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (_, json) = await sandbox.PlaceAsync("big-1", price: "5", quantity: "1000");

        json.GetProperty("code").GetInt32().Should().Be(-2010);
    }

    [Fact]
    public async Task PlaceOrder_IllegalClientOrderId_Returns1100()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (_, json) = await sandbox.PlaceAsync("bad%20id");

        json.GetProperty("code").GetInt32().Should().Be(-1100);
    }

    [Fact]
    public async Task OrderLifecycle_PlaceQueryListCancel_FollowsBinanceStatuses()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (_, placed) = await sandbox.PlaceAsync("life-1");
        var orderId = placed.GetProperty("orderId").GetInt64();

        var (_, byClientId) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=life-1");
        var (_, byOrderId) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", $"symbol=XRPUSDT&orderId={orderId}");
        var (openResponse, open) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/openOrders", "symbol=XRPUSDT");
        var (_, canceled) = await sandbox.SignedJsonAsync(HttpMethod.Delete, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=life-1&newClientOrderId=cancel-1");
        var (_, after) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", $"symbol=XRPUSDT&orderId={orderId}");
        var (againResponse, again) = await sandbox.SignedJsonAsync(HttpMethod.Delete, "/api/v3/order", $"symbol=XRPUSDT&orderId={orderId}");

        byClientId.GetProperty("status").GetString().Should().Be("NEW");
        byOrderId.GetProperty("clientOrderId").GetString().Should().Be("life-1");
        byOrderId.GetProperty("cummulativeQuoteQty").GetString().Should().Be("0.00000000");
        open.EnumerateArray().Select(o => o.GetProperty("orderId").GetInt64()).Should().Equal(orderId);
        openResponse.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal(["14"], "a successful placement weighs 0 (Binance since 2026-04-02), the two queries 4 each, openOrders 6");
        canceled.GetProperty("status").GetString().Should().Be("CANCELED");
        canceled.GetProperty("origClientOrderId").GetString().Should().Be("life-1");
        canceled.GetProperty("clientOrderId").GetString().Should().Be("cancel-1");
        after.GetProperty("status").GetString().Should().Be("CANCELED");
        againResponse.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        again.GetProperty("code").GetInt32().Should().Be(-2011);
    }

    [Fact]
    public async Task QueryOrder_TwoSymbolsSameOrderId_EachSymbolFindsItsOwn()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Symbols.Add(SymbolFilterPresets.XrpUsdt with { Symbol = "ADAUSDT", BaseAsset = "ADA" }));
        var (_, xrp) = await sandbox.PlaceAsync("xrp-1");
        var (_, ada) = await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", "symbol=ADAUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=100&price=0.4000&newClientOrderId=ada-1");

        var (_, xrpFound) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", "symbol=XRPUSDT&orderId=1");
        var (_, adaFound) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", "symbol=ADAUSDT&orderId=1");
        var (_, open) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/openOrders", "");

        (xrp.GetProperty("orderId").GetInt64(), ada.GetProperty("orderId").GetInt64()).Should().Be((1L, 1L), "orders are numbered per symbol, as Binance does");
        xrpFound.GetProperty("clientOrderId").GetString().Should().Be("xrp-1");
        adaFound.GetProperty("clientOrderId").GetString().Should().Be("ada-1");
        open.EnumerateArray().Select(o => o.GetProperty("clientOrderId").GetString()).Should().BeEquivalentTo("xrp-1", "ada-1");
    }

    [Fact]
    public async Task MyTrades_TwoSymbolsFilled_EachNumbersItsTradesFromOne()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Symbols.Add(SymbolFilterPresets.XrpUsdt with { Symbol = "ADAUSDT", BaseAsset = "ADA" }));
        await sandbox.PlaceAsync("xrp-1", price: "0.5000", quantity: "100");
        await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", "symbol=ADAUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=100&price=0.4000&newClientOrderId=ada-1");
        sandbox.Trade(0.4999m, 500m);
        sandbox.Server.PublishTrade(new TradeEvent("ADAUSDT", 1, 0.3999m, 500m, DateTimeOffset.UtcNow));

        var (_, xrp) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=XRPUSDT");
        var (_, ada) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=ADAUSDT");

        xrp.EnumerateArray().Should().ContainSingle().Which.GetProperty("id").GetInt64().Should().Be(1, "Binance numbers trades per symbol");
        ada.EnumerateArray().Should().ContainSingle().Which.GetProperty("id").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task QueryOrder_Unknown_Returns2013()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (response, json) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=nope");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        json.GetProperty("code").GetInt32().Should().Be(-2013);
    }

    [Fact]
    public async Task AccountAndMyTrades_AfterFill_ReportBalancesAndTheFillAsStrings()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (_, placed) = await sandbox.PlaceAsync("fill-1", price: "0.5000", quantity: "100");
        sandbox.Trade(0.4999m, 500m);

        var (_, account) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/account", string.Empty);
        var (_, trades) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=XRPUSDT");

        var balances = account.GetProperty("balances").EnumerateArray().ToDictionary(b => b.GetProperty("asset").GetString()!);
        balances["USDT"].GetProperty("free").GetString().Should().Be("950.00000000");
        balances["USDT"].GetProperty("locked").GetString().Should().Be("0.00000000");
        balances["XRP"].GetProperty("free").GetString().Should().Be("99.90000000");
        var trade = trades.EnumerateArray().Should().ContainSingle().Subject;
        trade.GetProperty("orderId").GetInt64().Should().Be(placed.GetProperty("orderId").GetInt64());
        trade.GetProperty("price").GetString().Should().Be("0.50000000");
        trade.GetProperty("qty").GetString().Should().Be("100.00000000");
        trade.GetProperty("quoteQty").GetString().Should().Be("50.00000000");
        trade.GetProperty("commission").GetString().Should().Be("0.10000000");
        trade.GetProperty("commissionAsset").GetString().Should().Be("XRP");
        trade.GetProperty("isBuyer").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task UnknownPath_Always_Returns404Json()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.GetAsync("/api/v3/nope");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1000);
    }

    [Fact]
    public async Task ControlTrades_JsonArray_ReplaysThroughTheEngine()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.PlaceAsync("ctl-1", price: "0.5000", quantity: "100");

        var response = await sandbox.Http.PostAsync("/sandbox/trades?speed=0", new StringContent("[{\"symbol\":\"XRPUSDT\",\"price\":\"0.4\",\"qty\":\"200\"}]"));

        (await response.Content.ReadAsStringAsync()).Should().Be("{\"published\":1}");
        sandbox.Server.Exchange.Orders.Should().ContainSingle().Which.Status.Should().Be(OrderStatus.Filled);
    }

    [Fact]
    public async Task ControlFaults_Spec_AppliesFaults()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.PostAsync("/sandbox/faults", new StringContent("429=1,retry-after=3s"));
        var limited = await sandbox.Http.GetAsync("/api/v3/ping");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ControlFaults_BadSpec_Returns400()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.PostAsync("/sandbox/faults", new StringContent("explode"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SandboxHarness.JsonAsync(response)).GetProperty("msg").GetString().Should().Contain("explode");
    }

    internal static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

using System.Net;
using System.Text.Json;
using NaiveStrategy.Binance.Sandbox.Internal;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class MarketOrderTests
{
    private const string Sell = "symbol=XRPUSDT&side=SELL&type=MARKET&newClientOrderId=exit-1";

    private static Task<SandboxHarness> StartAsync(Action<SandboxOptions>? configure = null) => SandboxHarness.StartAsync(o =>
    {
        o.Balances["XRP"] = 100m;
        configure?.Invoke(o);
    });

    [Fact]
    public async Task PlaceOrder_RestMarketSell_FilledAtNextTradeWithReports()
    {
        await using var sandbox = await StartAsync();
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _ = socket;

        var (response, placed) = await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", Sell + "&quantity=50&newOrderRespType=FULL");
        var accepted = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");
        sandbox.Trade(0.6m, 1000m);
        var trade = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");
        var (_, queried) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=exit-1");

        response.StatusCode.Should().Be(HttpStatusCode.OK, placed.ToString());
        placed.GetProperty("type").GetString().Should().Be("MARKET");
        placed.GetProperty("price").GetString().Should().Be("0.00000000");
        placed.GetProperty("status").GetString().Should().Be("NEW", "the order fills at the next market trade");
        placed.GetProperty("cummulativeQuoteQty").GetString().Should().Be("0.00000000");
        placed.GetProperty("fills").GetArrayLength().Should().Be(0);
        accepted.GetProperty("x").GetString().Should().Be("NEW");
        accepted.GetProperty("o").GetString().Should().Be("MARKET");
        accepted.GetProperty("p").GetString().Should().Be("0.00000000");
        trade.GetProperty("x").GetString().Should().Be("TRADE");
        trade.GetProperty("X").GetString().Should().Be("FILLED");
        trade.GetProperty("o").GetString().Should().Be("MARKET");
        trade.GetProperty("L").GetString().Should().Be("0.60000000");
        trade.GetProperty("l").GetString().Should().Be("50.00000000");
        trade.GetProperty("Z").GetString().Should().Be("30.00000000");
        trade.GetProperty("n").GetString().Should().Be("0.03000000");
        trade.GetProperty("N").GetString().Should().Be("USDT");
        trade.GetProperty("m").GetBoolean().Should().BeFalse("a MARKET order takes");
        queried.GetProperty("type").GetString().Should().Be("MARKET");
        queried.GetProperty("status").GetString().Should().Be("FILLED");
        queried.GetProperty("executedQty").GetString().Should().Be("50.00000000");
        queried.GetProperty("cummulativeQuoteQty").GetString().Should().Be("30.00000000");
        sandbox.Server.Exchange.GetBalance("USDT").Free.Should().Be(1029.97m);
        sandbox.Server.Exchange.GetBalance("XRP").Free.Should().Be(50m);
    }

    [Fact]
    public async Task PlaceOrder_MarketSellFilled_MyTradesListsTheTakerFill()
    {
        await using var sandbox = await StartAsync();
        await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", Sell + "&quantity=20");
        sandbox.Trade(0.55m, 1000m, id: 7);

        var (_, trades) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=XRPUSDT");

        var fill = trades.EnumerateArray().Should().ContainSingle().Subject;
        fill.GetProperty("price").GetString().Should().Be("0.55000000");
        fill.GetProperty("qty").GetString().Should().Be("20.00000000");
        fill.GetProperty("quoteQty").GetString().Should().Be("11.00000000");
        fill.GetProperty("isMaker").GetBoolean().Should().BeFalse();
        fill.GetProperty("isBuyer").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task OrderPlace_WebSocketApiMarketSell_AnswersResultThenFillsAtNextTrade()
    {
        await using var sandbox = await StartAsync();
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var connection = socket;
        var order = new Dictionary<string, string>
        {
            ["symbol"] = "XRPUSDT", ["side"] = "SELL", ["type"] = "MARKET", ["quantity"] = "40", ["newClientOrderId"] = "ws-exit", ["newOrderRespType"] = "RESULT",
        };

        await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest("p", "order.place", order));
        var messages = new List<JsonElement>();
        while (!messages.Any(m => m.TryGetProperty("id", out _)) || !messages.Any(m => m.TryGetProperty("event", out var e) && e.GetProperty("e").GetString() == "executionReport"))
        {
            messages.Add(await SandboxHarness.ReceiveAsync(socket));
        }

        sandbox.Trade(0.5m, 1000m);
        var trade = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");

        var answer = messages.Single(m => m.TryGetProperty("id", out _));
        answer.GetProperty("status").GetInt32().Should().Be(200, answer.ToString());
        var result = answer.GetProperty("result");
        result.GetProperty("type").GetString().Should().Be("MARKET");
        result.GetProperty("price").GetString().Should().Be("0.00000000");
        result.GetProperty("origQty").GetString().Should().Be("40.00000000");
        result.TryGetProperty("fills", out _).Should().BeFalse("RESULT lists no fills");
        answer.GetProperty("rateLimits").EnumerateArray().Should().Contain(l => l.GetProperty("rateLimitType").GetString() == "ORDERS");
        trade.GetProperty("X").GetString().Should().Be("FILLED");
        trade.GetProperty("o").GetString().Should().Be("MARKET");
        trade.GetProperty("Z").GetString().Should().Be("20.00000000");
        trade.GetProperty("m").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task PlaceOrder_MarketAck_AnswersIdsOnly()
    {
        await using var sandbox = await StartAsync();

        var (response, placed) = await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", Sell + "&quantity=30&newOrderRespType=ACK");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        placed.GetProperty("clientOrderId").GetString().Should().Be("exit-1");
        placed.TryGetProperty("type", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("&quantity=50&price=0.5", -1106, "Parameter 'price' sent when not required.")]
    [InlineData("&quantity=50&timeInForce=GTC", -1106, "Parameter 'timeInForce' sent when not required.")]
    [InlineData("&quoteOrderQty=20", -1013, "Quote order qty market orders are not support for this symbol.")]
    [InlineData("", -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")]
    [InlineData("&quantity=50.5", -1013, "Filter failure: LOT_SIZE")]
    [InlineData("&quantity=30", -1013, "Filter failure: MARKET_LOT_SIZE")]
    [InlineData("&quantity=15", -1013, "Filter failure: MIN_NOTIONAL")]
    [InlineData("&quantity=abc", -1100, "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.")]
    public async Task PlaceOrder_MarketBadRequest_RefusedAsBinance(string extra, int code, string message)
    {
        await using var sandbox = await StartAsync(o =>
        {
            o.Symbols.Clear();
            o.Symbols.Add(SymbolFilterPresets.XrpUsdt with { MarketMaxQuantity = 25m });
        });
        sandbox.Trade(0.5m, 1m); // the notional of a MARKET order is checked at the market price: 15 × 0.5 < 10

        var (response, json) = await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", Sell + extra);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        json.GetProperty("code").GetInt32().Should().Be(code);
        json.GetProperty("msg").GetString().Should().Be(message);
        sandbox.Server.Exchange.Orders.Should().BeEmpty();
    }

    [Fact]
    public async Task PlaceOrder_MarketBeyondOrderRate_RefusedWith1015()
    {
        await using var sandbox = await StartAsync(o => o.OrdersPer10Seconds = 1);

        var (first, _) = await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", Sell + "&quantity=20");
        var (second, json) = await sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", "symbol=XRPUSDT&side=SELL&type=MARKET&quantity=20&newClientOrderId=exit-2");

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be((HttpStatusCode)429);
        json.GetProperty("code").GetInt32().Should().Be(-1015);
    }

    [Fact]
    public async Task ExchangeInfo_Symbol_ListsMarketAndMarketLotSize()
    {
        await using var sandbox = await StartAsync();

        var json = await SandboxHarness.JsonAsync(await sandbox.Http.GetAsync("/api/v3/exchangeInfo?symbol=XRPUSDT"));

        var symbol = json.GetProperty("symbols")[0];
        symbol.GetProperty("orderTypes").EnumerateArray().Select(t => t.GetString()).Should().Equal("LIMIT", "MARKET");
        var filter = symbol.GetProperty("filters").EnumerateArray().Single(f => f.GetProperty("filterType").GetString() == "MARKET_LOT_SIZE");
        filter.GetProperty("maxQty").GetString().Should().Be("9222449.00000000");
        filter.GetProperty("stepSize").GetString().Should().Be("0.00000000");
    }

    [Fact]
    public void ExchangeInfoParse_MarketLotSize_FillsTheMarketFilters()
    {
        using var document = JsonDocument.Parse("""
            {"symbols":[{"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[
              {"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},
              {"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"},
              {"filterType":"MARKET_LOT_SIZE","minQty":"0.00010000","maxQty":"83.50000000","stepSize":"0.00010000"},
              {"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000"}]}]}
            """);

        var symbol = ExchangeInfoFile.Parse(document.RootElement, "inline").Should().ContainSingle().Subject;

        symbol.Should().BeEquivalentTo(new { MarketMinQuantity = 0.0001m, MarketMaxQuantity = 83.5m, MarketStepSize = 0.0001m });
        symbol.FindMarketFilterFailure(60_000m, 84m).Should().Be("MARKET_LOT_SIZE");
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace NaiveStrategy.Binance.Tests;

/// <summary>
/// filters.md: every filter is optional and new filter types appear; the adapter reads what it knows, skips the rest,
/// and reads a symbol's filters again every FiltersRefreshEvery and once after a filter failure (-1013).
/// </summary>
public sealed class FilterRefreshTests
{
    private const string Order = """{"symbol":"XRPUSDT","orderId":7,"clientOrderId":"f-1","price":"0.50000000","origQty":"40.00000000","executedQty":"0.00000000","status":"NEW","side":"BUY","type":"LIMIT","transactTime":1}""";
    private static readonly string Fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "exchangeInfo-2021-10-12.json"));

    [Fact]
    public void Parse_RealFixtureWithMadeUpFilterTypes_EverySymbolReadTheKnownFiltersKept()
    {
        var info = JsonNode.Parse(Fixture)!;
        foreach (var symbol in info["symbols"]!.AsArray())
        {
            symbol!["filters"]!.AsArray().Add(JsonNode.Parse("""{"filterType":"MADE_UP_FILTER","levels":[1,2],"nested":{"x":"y"}}"""));
            symbol["filters"]!.AsArray().Add(JsonNode.Parse("""{"noFilterType":true}"""));
        }

        var all = BinanceExchangeInfo.Parse(info.ToJsonString());

        all.Should().HaveCount(1695);
        all["XRPUSDT"].Should().Be(SymbolFilterPresets.XrpUsdt);
    }

    [Fact]
    public void Parse_NoPriceFilterNorLotSize_StepsByTheAssetsPrecision()
    {
        const string json = """{"symbols":[{"symbol":"X","status":"TRADING","baseAsset":"A","baseAssetPrecision":8,"quoteAsset":"B","quoteAssetPrecision":4,"filters":[]}]}""";

        var x = BinanceExchangeInfo.Parse(json)["X"];

        (x.TickSize, x.StepSize, x.MinPrice, x.MaxPrice, x.MinQuantity, x.MaxQuantity).Should().Be((0.0001m, 0.00000001m, 0m, 0m, 0m, 0m));
        x.FindFilterFailure(1.2345m, 0.5m).Should().BeNull();
    }

    [Fact]
    public async Task GetSymbolFiltersAsync_OlderThanFiltersRefreshEvery_ReadAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var binance = new Scripted(time) { Tick = "0.00010000" };
        await using var exchange = Exchange(binance, time);

        (await exchange.GetSymbolFiltersAsync("XRPUSDT")).Value.TickSize.Should().Be(0.0001m);
        binance.Tick = "0.00100000";
        time.Advance(TimeSpan.FromMinutes(59));
        (await exchange.GetSymbolFiltersAsync("XRPUSDT")).Value.TickSize.Should().Be(0.0001m, "read less than an hour ago");
        time.Advance(TimeSpan.FromMinutes(2));

        (await exchange.GetSymbolFiltersAsync("XRPUSDT")).Value.TickSize.Should().Be(0.001m);
        binance.ExchangeInfoCalls.Should().Be(2);
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_FilterFailureAndNewFiltersTakeTheOrder_ReadOnceAndSentAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var binance = new Scripted(time) { Tick = "0.00010000", FilterFailures = 1 };
        await using var exchange = Exchange(binance, time);
        await exchange.GetSymbolFiltersAsync("XRPUSDT");
        binance.Tick = "0.00100000";

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "f-1", OrderSide.Buy, 0.5m, 40m));

        placed.Value.Status.Should().Be(OrderStatus.New);
        (binance.ExchangeInfoCalls, binance.Placements).Should().Be((2, 2));
        binance.LastPrice.Should().Be("0.500", "sent again in the new tick's format");
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_FilterFailureAndNewFiltersRefuseTheOrder_RejectedNamingTheFilterNotSentAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var binance = new Scripted(time) { Tick = "0.00010000", FilterFailures = 1 };
        await using var exchange = Exchange(binance, time);
        await exchange.GetSymbolFiltersAsync("XRPUSDT");
        binance.Tick = "0.01000000";

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "f-1", OrderSide.Buy, 0.505m, 40m));

        placed.Error.Should().Be(new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: PRICE_FILTER (Binance's filters were read again: PRICE_FILTER refuses the order)"));
        (binance.ExchangeInfoCalls, binance.Placements).Should().Be((2, 1));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_FilterFailureAndFiltersUnchanged_ReadOnceNotSentAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var binance = new Scripted(time) { Tick = "0.00010000", FilterFailures = 2 };
        await using var exchange = Exchange(binance, time);

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "f-1", OrderSide.Buy, 0.5m, 40m));

        placed.Error.Should().Be(new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: PRICE_FILTER"));
        (binance.ExchangeInfoCalls, binance.Placements).Should().Be((2, 1));
    }

    private static BinanceExchange Exchange(Scripted binance, TimeProvider time) => new(new HttpClient(binance), Options.Create(new BinanceExchangeOptions
    {
        ApiKey = "k",
        SecretKey = "s",
        RestBaseUrl = new Uri("http://127.0.0.1:9"),
        WebSocketApiUrl = new Uri("ws://127.0.0.1:9"),
        StreamBaseUrl = new Uri("ws://127.0.0.1:9"),
    }), time);

    // Binance as far as these tests need it: XRPUSDT with a tick size the test changes, placements refused with a
    // filter failure the first FilterFailures times.
    private sealed class Scripted(TimeProvider time) : HttpMessageHandler
    {
        public string Tick { get; set; } = "0.00010000";

        public int FilterFailures { get; set; }

        public int ExchangeInfoCalls { get; private set; }

        public int Placements { get; private set; }

        public string? LastPrice { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var (code, json) = (path, request.Method.Method) switch
            {
                ("/api/v3/time", _) => (200, "{\"serverTime\":" + time.GetUtcNow().ToUnixTimeMilliseconds() + "}"),
                ("/api/v3/exchangeInfo", _) => (200, ExchangeInfo()),
                ("/api/v3/account", _) => (200, "{\"balances\":[]}"),
                ("/api/v3/order", "POST") => Place(request.RequestUri.Query),
                _ => (404, "{\"code\":-1,\"msg\":\"unexpected\"}"),
            };
            return Task.FromResult(new HttpResponseMessage((HttpStatusCode)code) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }

        private string ExchangeInfo()
        {
            ExchangeInfoCalls++;
            return "{\"symbols\":[{\"symbol\":\"XRPUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"XRP\",\"quoteAsset\":\"USDT\",\"filters\":["
                + "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.00010000\",\"maxPrice\":\"1000.00000000\",\"tickSize\":\"" + Tick + "\"},"
                + "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"1.00000000\",\"maxQty\":\"9222449.00000000\",\"stepSize\":\"1.00000000\"},"
                + "{\"filterType\":\"NOTIONAL\",\"minNotional\":\"5.00000000\"}]}]}";
        }

        private (int, string) Place(string query)
        {
            Placements++;
            LastPrice = query.Split('&').Single(p => p.StartsWith("price=", StringComparison.Ordinal) || p.StartsWith("?price=", StringComparison.Ordinal)).Split('=')[1];
            return FilterFailures-- > 0 ? (400, "{\"code\":-1013,\"msg\":\"Filter failure: PRICE_FILTER\"}") : (200, Order);
        }
    }
}

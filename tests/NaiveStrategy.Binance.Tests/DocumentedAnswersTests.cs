using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace NaiveStrategy.Binance.Tests;

/// <summary>
/// Answers Binance documents that the sandbox does not give: the web application firewall's 403 (rest-api.md, "HTTP
/// Return Codes") and PERCENT_PRICE_BY_SIDE (filters.md), read by the adapter as Binance describes them.
/// </summary>
public sealed class DocumentedAnswersTests
{
    [Fact]
    public async Task PlaceLimitOrderAsync_Waf403WithAWebPage_TransientOneLineNamingTheFirewall()
    {
        var binance = new Scripted(new FakeTimeProvider(DateTimeOffset.UtcNow)) { OrderAnswer = (403, "<html>\n<body>Request blocked.</body>\n</html>", "text/html") };
        await using var exchange = Exchange(binance);

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "waf-1", OrderSide.Buy, 0.5m, 40m));

        placed.Error!.Kind.Should().Be(ExchangeErrorKind.Transient, "the firewall stopped the request: nothing was placed, it may be sent again");
        placed.Error.Message.Should().StartWith("Binance's firewall (WAF) refused the request").And.Contain("HTTP 403").And.Contain("Request blocked.").And.NotContain("\n");
    }

    [Fact]
    public async Task GetSymbolFiltersAsync_PercentPriceBySideAsDocumented_OtherFiltersRead()
    {
        var binance = new Scripted(new FakeTimeProvider(DateTimeOffset.UtcNow));
        await using var exchange = Exchange(binance);

        var filters = await exchange.GetSymbolFiltersAsync("XRPUSDT");

        (filters.Value.TickSize, filters.Value.StepSize, filters.Value.MinNotional).Should().Be((0.0001m, 1m, 5m));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_PercentPriceBySideRefusal_RejectedNamingTheFilter()
    {
        var binance = new Scripted(new FakeTimeProvider(DateTimeOffset.UtcNow)) { OrderAnswer = (400, "{\"code\":-1013,\"msg\":\"Filter failure: PERCENT_PRICE_BY_SIDE\"}", "application/json") };
        await using var exchange = Exchange(binance);

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "pp-1", OrderSide.Buy, 0.1m, 100m));

        placed.Error.Should().Be(new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: PERCENT_PRICE_BY_SIDE"));
        binance.Placements.Should().Be(1, "the filters read again are the same: the order is not sent twice");
    }

    private static BinanceExchange Exchange(Scripted binance) => new(new HttpClient(binance), Options.Create(new BinanceExchangeOptions
    {
        ApiKey = "k",
        SecretKey = "s",
        RestBaseUrl = new Uri("http://127.0.0.1:9"),
        WebSocketApiUrl = new Uri("ws://127.0.0.1:9"),
        StreamBaseUrl = new Uri("ws://127.0.0.1:9"),
    }));

    // Binance as these tests need it: XRPUSDT with PERCENT_PRICE_BY_SIDE in filters.md's shape, and one answer to every placement.
    private sealed class Scripted(TimeProvider time) : HttpMessageHandler
    {
        public (int Status, string Body, string MediaType) OrderAnswer { get; init; } = (400, "{\"code\":-1013,\"msg\":\"Filter failure: PRICE_FILTER\"}", "application/json");

        public int Placements { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var (code, body, media) = (request.RequestUri!.AbsolutePath, request.Method.Method) switch
            {
                ("/api/v3/time", _) => (200, "{\"serverTime\":" + time.GetUtcNow().ToUnixTimeMilliseconds() + "}", "application/json"),
                ("/api/v3/exchangeInfo", _) => (200, ExchangeInfo, "application/json"),
                ("/api/v3/account", _) => (200, "{\"balances\":[]}", "application/json"),
                ("/api/v3/order", "POST") => Place(),
                _ => (404, "{\"code\":-1,\"msg\":\"unexpected\"}", "application/json"),
            };
            return Task.FromResult(new HttpResponseMessage((HttpStatusCode)code) { Content = new StringContent(body, Encoding.UTF8, media) });
        }

        private (int, string, string) Place()
        {
            Placements++;
            return OrderAnswer;
        }

        private const string ExchangeInfo = "{\"symbols\":[{\"symbol\":\"XRPUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"XRP\",\"quoteAsset\":\"USDT\",\"filters\":["
            + "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.00010000\",\"maxPrice\":\"1000.00000000\",\"tickSize\":\"0.00010000\"},"
            + "{\"filterType\":\"PERCENT_PRICE_BY_SIDE\",\"bidMultiplierUp\":\"1.2\",\"bidMultiplierDown\":\"0.2\",\"askMultiplierUp\":\"5\",\"askMultiplierDown\":\"0.8\",\"avgPriceMins\":1},"
            + "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"1.00000000\",\"maxQty\":\"9222449.00000000\",\"stepSize\":\"1.00000000\"},"
            + "{\"filterType\":\"NOTIONAL\",\"minNotional\":\"5.00000000\"}]}]}";
    }
}

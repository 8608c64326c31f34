using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Binance.Tests;

/// <summary>
/// rest-api.md, "LIMITS": limits per kind from exchangeInfo's rateLimits, usage from the X-MBX-USED-WEIGHT-* and
/// X-MBX-ORDER-COUNT-* headers; an order-count 429 stops new orders only, a 418 stops everything until Retry-After.
/// </summary>
public sealed class RateLimitTests
{
    private const string Key = "k";
    private const string Secret = "s";

    private const string Limits = """
        {"rateLimits":[
          {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":100},
          {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":5},
          {"rateLimitType":"ORDERS","interval":"DAY","intervalNum":1,"limit":1000},
          {"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":10},
          {"rateLimitType":"CONNECTIONS","interval":"MINUTE","intervalNum":5,"limit":300}]}
        """;

    [Fact]
    public void Read_RateLimits_EachKnownKindKeptUnknownSkipped()
    {
        var limits = New(new FakeTimeProvider());

        limits.Describe().Should().Equal("REQUEST_WEIGHT 100/1M", "ORDERS 5/10S", "ORDERS 1000/1D", "RAW_REQUESTS 10/5M");
    }

    [Fact]
    public void Reserve_WeightHeaderNear90Percent_WaitsForTheNextMinuteWhateverTheOption()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 30, TimeSpan.Zero));
        var limits = New(time);
        limits.Track(Answer(("X-MBX-USED-WEIGHT-1M", "80")));

        limits.Reserve(5, placesOrder: false).Delay.Should().Be(TimeSpan.Zero);
        limits.Reserve(20, placesOrder: false).Delay.Should().Be(TimeSpan.FromMilliseconds(30_050), "80 + 20 passes 90 % of the 100 exchangeInfo allows, not of the option's 6000");
    }

    [Fact]
    public void Reserve_OrderCountHeaderNearTheLimit_OnlyNewOrdersWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 4, TimeSpan.Zero));
        var limits = New(time);
        limits.Track(Answer(("X-MBX-ORDER-COUNT-10S", "4"), ("X-MBX-ORDER-COUNT-1D", "4")));

        limits.Reserve(1, placesOrder: false).Delay.Should().Be(TimeSpan.Zero, "a cancel or a query places no order");
        limits.Reserve(1, placesOrder: true).Delay.Should().Be(TimeSpan.FromMilliseconds(6_050));
        limits.Used("X-MBX-ORDER-COUNT-1D").Should().Be(4);
    }

    [Fact]
    public void Reserve_RawRequestsNear90Percent_RefusedWhenTheWindowIsMoreThanAMinuteAway()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var limits = New(time);
        for (var i = 0; i < 9; i++)
        {
            limits.Reserve(1, placesOrder: false).Refused.Should().BeNull();
        }

        var tenth = limits.Reserve(1, placesOrder: false);

        tenth.Refused!.Code.Should().Be(-1003);
        tenth.Refused.Message.Should().Contain("RAW_REQUESTS 10/5M (9 used)");
    }

    [Fact]
    public async Task CancelOrderAsync_AfterAnOrderCount429_GoesThroughAtOnceButNewOrdersWait()
    {
        var options = new SandboxOptions { Port = 0, OrdersPerDay = 3 };
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        options.Balances["USDT"] = 1_000m;
        await using var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        using var http = new HttpClient();
        foreach (var id in new[] { "r-1", "r-2", "r-3" })
        {
            (await PostOrderAsync(http, server, id)).Should().Be(HttpStatusCode.OK);
        }

        await using var exchange = new BinanceExchange(new HttpClient(), Options.Create(new BinanceExchangeOptions
        {
            ApiKey = Key,
            SecretKey = Secret,
            RestBaseUrl = new Uri(server.RestBaseUrl),
            WebSocketApiUrl = new Uri(server.WebSocketApiUrl),
            StreamBaseUrl = new Uri(server.StreamBaseUrl),
        }));

        var limited = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "a-1", OrderSide.Buy, 0.5m, 40m));
        var started = DateTimeOffset.UtcNow;
        var canceled = await exchange.CancelOrderAsync("XRPUSDT", "r-1");
        var queried = await exchange.GetOrderAsync("XRPUSDT", "r-2");
        var elapsed = DateTimeOffset.UtcNow - started;
        var held = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "a-2", OrderSide.Buy, 0.5m, 40m));

        (limited.Error!.Kind, limited.Error.Code).Should().Be((ExchangeErrorKind.Transient, -1015));
        canceled.Value.Status.Should().Be(OrderStatus.Canceled);
        queried.Value.Status.Should().Be(OrderStatus.New);
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "an order limit never holds a cancel or a query back");
        held.Error!.Code.Should().Be(-1015);
        server.Exchange.Orders.Should().HaveCount(3, "the order after the 429 was not sent");
    }

    [Fact]
    public async Task CancelOrderAsync_After418_RefusedUntilRetryAfterThenSent()
    {
        // One fake clock for the sandbox and the adapter: the Retry-After passes when the test says, signed timestamps stay in the window.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new SandboxOptions { Port = 0, TimeProvider = time };
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        options.Balances["USDT"] = 1_000m;
        await using var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        using var http = new HttpClient();
        (await PostOrderAsync(http, server, "b-1")).Should().Be(HttpStatusCode.OK);
        await using var exchange = new BinanceExchange(new HttpClient(), Options.Create(new BinanceExchangeOptions
        {
            ApiKey = Key,
            SecretKey = Secret,
            RestBaseUrl = new Uri(server.RestBaseUrl),
            WebSocketApiUrl = new Uri(server.WebSocketApiUrl),
            StreamBaseUrl = new Uri(server.StreamBaseUrl),
        }), time);
        (await exchange.GetOrderAsync("XRPUSDT", "b-1")).IsSuccess.Should().BeTrue();
        server.Faults.RetryAfter = TimeSpan.FromSeconds(1);
        server.Faults.BanRequests(1);

        var banned = await exchange.GetOrderAsync("XRPUSDT", "b-1");
        var refused = await exchange.CancelOrderAsync("XRPUSDT", "b-1");
        time.Advance(TimeSpan.FromSeconds(1.1));
        var canceled = await exchange.CancelOrderAsync("XRPUSDT", "b-1");

        banned.Error!.Code.Should().Be(-1003);
        refused.Error!.Message.Should().Contain("no request before");
        canceled.Value.Status.Should().Be(OrderStatus.Canceled);
    }

    private static BinanceRateLimits New(TimeProvider time)
    {
        var limits = new BinanceRateLimits(new BinanceExchangeOptions(), time, () => 0);
        using var document = JsonDocument.Parse(Limits);
        limits.Read(document.RootElement);
        return limits;
    }

    private static HttpResponseMessage Answer(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        foreach (var (name, value) in headers)
        {
            response.Headers.Add(name, value);
        }

        return response;
    }

    // An order placed by another client of the same account: the adapter has seen none of its headers.
    private static async Task<HttpStatusCode> PostOrderAsync(HttpClient http, BinanceSandboxServer server, string clientOrderId)
    {
        var query = "symbol=XRPUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=40&price=0.5000&newClientOrderId=" + clientOrderId
            + "&timestamp=" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.RestBaseUrl + "/api/v3/order?" + query + "&signature=" + BinanceRequestSigner.Sign(Secret, query));
        request.Headers.Add("X-MBX-APIKEY", Key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

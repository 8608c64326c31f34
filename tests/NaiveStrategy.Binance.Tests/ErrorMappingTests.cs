using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Binance.Tests;

/// <summary>Binance's error codes and matching-engine messages (errors.md), each mapped to what it means for the request.</summary>
public sealed class ErrorMappingTests
{
    [Theory]
    [InlineData(-2010, "Duplicate order sent.", ExchangeErrorKind.Duplicate)]
    [InlineData(-2010, "Market is closed.", ExchangeErrorKind.MarketClosed)]
    [InlineData(-2010, "Account has insufficient balance for requested action.", ExchangeErrorKind.InsufficientFunds)]
    [InlineData(-2010, "Rest API trading is not enabled.", ExchangeErrorKind.MarketClosed)]
    [InlineData(-2010, "This account may not place or cancel orders.", ExchangeErrorKind.Rejected)]
    [InlineData(-2011, "Unknown order sent.", ExchangeErrorKind.NotFound)]
    [InlineData(-2011, "Order was not canceled due to cancel restrictions.", ExchangeErrorKind.Rejected)]
    [InlineData(-2013, "Order does not exist.", ExchangeErrorKind.NotFound)]
    [InlineData(-2026, "Order was canceled or expired with no executed qty over 90 days ago and has been archived.", ExchangeErrorKind.NotFound)]
    [InlineData(-1006, "An unexpected response was received from the message bus. Execution status unknown.", ExchangeErrorKind.Unknown)]
    [InlineData(-1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.", ExchangeErrorKind.Unknown)]
    [InlineData(-1008, "Server is currently overloaded with other requests. Please try again in a few minutes.", ExchangeErrorKind.Transient)]
    [InlineData(-1013, "Filter failure: LOT_SIZE", ExchangeErrorKind.Rejected)]
    public void Kind_BinanceCodeAndMessage_ItsMeaning(int code, string message, ExchangeErrorKind expected) =>
        BinanceRestClient.Kind(code, message).Should().Be(expected);

    [Theory]
    [InlineData(500, -1006)]
    [InlineData(400, -1006)]
    [InlineData(400, -1008)]
    public async Task PlaceLimitOrderAsync_UnknownOutcomeCode_UnknownWhateverTheStatus(int status, int code)
    {
        await using var exchange = Answering(status, $"{{\"code\":{code},\"msg\":\"busy or unknown\"}}");

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "u-b", OrderSide.Buy, 0.5m, 40m));

        placed.Error!.Kind.Should().Be(ExchangeErrorKind.Unknown, "the order may exist: the engine queries it");
    }

    [Fact]
    public async Task GetOrderAsync_StatusThisVersionDoesNotKnow_ErrorValueNotException()
    {
        await using var exchange = Answering(200, "{\"symbol\":\"XRPUSDT\",\"orderId\":1,\"clientOrderId\":\"x\",\"price\":\"0.5\",\"origQty\":\"40\",\"executedQty\":\"0\",\"status\":\"PENDING_SOMETHING\",\"side\":\"BUY\",\"updateTime\":1}");

        var order = await exchange.GetOrderAsync("XRPUSDT", "x");

        order.Error!.Kind.Should().Be(ExchangeErrorKind.Transient);
        order.Error.Message.Should().Contain("PENDING_SOMETHING");
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_SandboxAnswers1006_UnknownAndTheOrderExists()
    {
        await using var server = await StartAsync();
        await using var exchange = Exchange(server);
        server.Faults.AnswerExecutionUnknown();

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "e-b", OrderSide.Buy, 0.5m, 40m));

        placed.Error.Should().Be(new ExchangeError(ExchangeErrorKind.Unknown, -1006, "An unexpected response was received from the message bus. Execution status unknown."));
        (await exchange.GetOrderAsync("XRPUSDT", "e-b")).Value.Status.Should().Be(OrderStatus.New);
    }

    [Fact]
    public async Task OrderUpdates_OrderArchived_WatchEndsAtTheNextResync()
    {
        await using var server = await StartAsync();
        await using var exchange = Exchange(server);
        using var subscription = exchange.OrderUpdates.Subscribe(_ => { });
        (await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "a-b", OrderSide.Buy, 0.5m, 40m))).IsSuccess.Should().BeTrue();
        exchange.WatchedOrders.Should().Be(1);

        server.Faults.AnswerOrderArchived();
        server.Faults.DropWebSockets(SandboxSocketKinds.WebSocketApi);

        await Wait.TryUntilAsync(() => exchange.WatchedOrders == 0, TimeSpan.FromSeconds(5), every: TimeSpan.FromMilliseconds(50));
        exchange.WatchedOrders.Should().Be(0, "-2026 says the order is archived: asking for it at every reconnection would never end");
    }

    private static async Task<BinanceSandboxServer> StartAsync()
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey("k", "s"));
        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        return server;
    }

    private static BinanceExchange Exchange(BinanceSandboxServer server) => new(new HttpClient(), Options.Create(new BinanceExchangeOptions
    {
        ApiKey = "k",
        SecretKey = "s",
        RestBaseUrl = new Uri(server.RestBaseUrl),
        WebSocketApiUrl = new Uri(server.WebSocketApiUrl),
        StreamBaseUrl = new Uri(server.StreamBaseUrl),
    }));

    // An exchange whose REST answers are canned: time and exchangeInfo as Binance's, every other call the given answer.
    private static BinanceExchange Answering(int status, string body) => new(new HttpClient(new Canned(status, body)), Options.Create(new BinanceExchangeOptions
    {
        ApiKey = "k",
        SecretKey = "s",
        RestBaseUrl = new Uri("http://127.0.0.1:9"),
        WebSocketApiUrl = new Uri("ws://127.0.0.1:9"),
        StreamBaseUrl = new Uri("ws://127.0.0.1:9"),
    }));

    private sealed class Canned(int status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var (code, json) = path switch
            {
                "/api/v3/time" => (200, "{\"serverTime\":" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + "}"),
                "/api/v3/exchangeInfo" => (200, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "exchangeInfo-2021-10-12.json"))),
                _ => (status, body),
            };
            return Task.FromResult(new HttpResponseMessage((HttpStatusCode)code) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }
    }
}

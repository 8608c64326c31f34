using System.Net.WebSockets;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class WebSocketTests
{
    [Fact]
    public async Task RawTradeStream_PublishedTrade_ArrivesAsBinanceTradeEvent()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/ws/xrpusdt@trade");

        sandbox.Server.PublishTrade(new TradeEvent("XRPUSDT", 42, 0.4307m, 25m, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), IsBuyerMaker: true));
        var trade = await SandboxHarness.ReceiveAsync(socket);

        trade.GetProperty("e").GetString().Should().Be("trade");
        trade.GetProperty("s").GetString().Should().Be("XRPUSDT");
        trade.GetProperty("t").GetInt64().Should().Be(42);
        trade.GetProperty("p").GetString().Should().Be("0.43070000");
        trade.GetProperty("q").GetString().Should().Be("25.00000000");
        trade.GetProperty("T").GetInt64().Should().Be(1_700_000_000_123);
        trade.GetProperty("m").GetBoolean().Should().BeTrue();
        trade.GetProperty("M").GetBoolean().Should().BeTrue();
        trade.TryGetProperty("b", out _).Should().BeFalse();
    }

    [Fact]
    public async Task CombinedStream_PublishedTrade_IsWrappedWithStreamName()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/stream?streams=xrpusdt@trade/btcusdt@trade");

        sandbox.Trade(0.5m, 10m);
        var message = await SandboxHarness.ReceiveAsync(socket);

        message.GetProperty("stream").GetString().Should().Be("xrpusdt@trade");
        message.GetProperty("data").GetProperty("p").GetString().Should().Be("0.50000000");
    }

    [Fact]
    public async Task StreamSubscribe_Message_RepliesNullResultThenDelivers()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/stream?streams=");

        await SandboxHarness.SendAsync(socket, "{\"method\":\"SUBSCRIBE\",\"params\":[\"xrpusdt@trade\"],\"id\":7}");
        var reply = await SandboxHarness.ReceiveAsync(socket);
        await SandboxHarness.SendAsync(socket, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":8}");
        var list = await SandboxHarness.ReceiveAsync(socket);
        sandbox.Trade(0.5m, 10m);
        var trade = await SandboxHarness.ReceiveAsync(socket);

        reply.ToString().Should().Be("{\"result\":null,\"id\":7}");
        list.GetProperty("result")[0].GetString().Should().Be("xrpusdt@trade");
        trade.GetProperty("stream").GetString().Should().Be("xrpusdt@trade");
    }

    [Fact]
    public async Task WebSocketApi_Time_ReturnsResultWithRateLimits()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        await SandboxHarness.SendAsync(socket, "{\"id\":\"abc\",\"method\":\"time\"}");
        var response = await SandboxHarness.ReceiveAsync(socket);

        response.GetProperty("id").GetString().Should().Be("abc");
        response.GetProperty("status").GetInt32().Should().Be(200);
        response.GetProperty("result").GetProperty("serverTime").GetInt64().Should().BeCloseTo(SandboxHarness.Now, 5000);
        response.GetProperty("rateLimits")[0].GetProperty("rateLimitType").GetString().Should().Be("REQUEST_WEIGHT");
    }

    [Fact]
    public async Task WebSocketApi_UnknownMethod_Returns400Error()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        await SandboxHarness.SendAsync(socket, "{\"id\":1,\"method\":\"nope\"}");
        var response = await SandboxHarness.ReceiveAsync(socket);

        response.GetProperty("id").GetInt32().Should().Be(1);
        response.GetProperty("status").GetInt32().Should().Be(400);
        response.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-1020);
    }

    [Fact]
    public async Task UserDataSubscribe_BadSignature_Returns1022()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest("s", "userDataStream.subscribe.signature", [], secret: "wrong"));
        var response = await SandboxHarness.ReceiveAsync(socket);

        response.GetProperty("status").GetInt32().Should().Be(400);
        response.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-1022);
    }

    [Fact]
    public async Task UserDataStream_OrderPlacedAndFilled_PushesNewThenTradeExecutionReports()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.PartialFills = true);
        var (socket, subscriptionId) = await sandbox.SubscribeUserDataAsync();
        using var _ = socket;

        var (_, placed) = await sandbox.PlaceAsync("eds-1", price: "0.5000", quantity: "100");
        sandbox.Trade(0.4990m, 40m, id: 1);
        sandbox.Trade(0.4980m, 100m, id: 2);
        var created = await SandboxHarness.ReceiveReportAsync(socket);
        var partial = await SandboxHarness.ReceiveReportAsync(socket);
        var filled = await SandboxHarness.ReceiveReportAsync(socket);

        created.GetProperty("subscriptionId").GetInt64().Should().Be(subscriptionId);
        var report = created.GetProperty("event");
        report.GetProperty("e").GetString().Should().Be("executionReport");
        report.GetProperty("x").GetString().Should().Be("NEW");
        report.GetProperty("X").GetString().Should().Be("NEW");
        report.GetProperty("c").GetString().Should().Be("eds-1");
        report.GetProperty("i").GetInt64().Should().Be(placed.GetProperty("orderId").GetInt64());
        report.GetProperty("t").GetInt64().Should().Be(-1);
        report.GetProperty("N").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        var first = partial.GetProperty("event");
        first.GetProperty("x").GetString().Should().Be("TRADE");
        first.GetProperty("X").GetString().Should().Be("PARTIALLY_FILLED");
        first.GetProperty("l").GetString().Should().Be("40.00000000");
        first.GetProperty("z").GetString().Should().Be("40.00000000");
        first.GetProperty("L").GetString().Should().Be("0.50000000");
        first.GetProperty("n").GetString().Should().Be("0.04000000");
        first.GetProperty("N").GetString().Should().Be("XRP");
        var second = filled.GetProperty("event");
        second.GetProperty("X").GetString().Should().Be("FILLED");
        second.GetProperty("l").GetString().Should().Be("60.00000000");
        second.GetProperty("z").GetString().Should().Be("100.00000000");
        second.GetProperty("n").GetString().Should().Be("0.06000000");
        second.GetProperty("t").GetInt64().Should().BeGreaterThan(first.GetProperty("t").GetInt64());
        second.GetProperty("Z").GetString().Should().Be("50.00000000");
    }

    [Fact]
    public async Task UserDataStream_Cancel_ReportsCancelIdAsLowerCAndOriginalAsUpperC()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _ = socket;
        await sandbox.PlaceAsync("cx-1");

        await sandbox.SignedJsonAsync(HttpMethod.Delete, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=cx-1&newClientOrderId=cancel-cx-1");
        await SandboxHarness.ReceiveReportAsync(socket);
        var canceled = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");

        canceled.GetProperty("x").GetString().Should().Be("CANCELED");
        canceled.GetProperty("X").GetString().Should().Be("CANCELED");
        canceled.GetProperty("c").GetString().Should().Be("cancel-cx-1");
        canceled.GetProperty("C").GetString().Should().Be("cx-1");
    }

    [Fact]
    public async Task WebSocketApi_OrderPlaceAndStatus_UseTheSameEngine()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);
        var order = new Dictionary<string, string>
        {
            ["symbol"] = "XRPUSDT", ["side"] = "BUY", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = "100", ["price"] = "0.5", ["newClientOrderId"] = "ws-1",
        };

        await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest("p", "order.place", order));
        var placed = await SandboxHarness.ReceiveAsync(socket);
        await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest("q", "order.status", new() { ["symbol"] = "XRPUSDT", ["origClientOrderId"] = "ws-1" }));
        var status = await SandboxHarness.ReceiveAsync(socket);

        placed.GetProperty("result").GetProperty("status").GetString().Should().Be("NEW");
        placed.GetProperty("rateLimits").EnumerateArray().Should().Contain(l => l.GetProperty("rateLimitType").GetString() == "ORDERS");
        status.GetProperty("result").GetProperty("clientOrderId").GetString().Should().Be("ws-1");
        sandbox.Server.Exchange.Orders.Should().ContainSingle();
    }

    [Fact]
    public async Task UserDataUnsubscribe_AfterSubscribe_StopsEvents()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (socket, subscriptionId) = await sandbox.SubscribeUserDataAsync();
        using var _ = socket;

        await SandboxHarness.SendAsync(socket, $"{{\"id\":2,\"method\":\"userDataStream.unsubscribe\",\"params\":{{\"subscriptionId\":{subscriptionId}}}}}");
        (await SandboxHarness.ReceiveAsync(socket)).GetProperty("status").GetInt32().Should().Be(200);
        (await SandboxHarness.ReceiveAsync(socket)).GetProperty("event").GetProperty("e").GetString().Should().Be("eventStreamTerminated");
        await sandbox.PlaceAsync("quiet-1");
        await SandboxHarness.SendAsync(socket, "{\"id\":3,\"method\":\"ping\"}");
        var next = await SandboxHarness.ReceiveAsync(socket);

        next.GetProperty("id").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Socket_ClientCloses_ServerCompletesCloseHandshake()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);
        using var timeout = new CancellationTokenSource(SandboxHarness.Timeout);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        socket.State.Should().Be(WebSocketState.Closed);
    }

    [Fact]
    public async Task ServerPing_ClientNeverPongs_ConnectionIsClosed()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => (o.PingInterval, o.PongTimeout) = (TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)));
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri(sandbox.Server.StreamBaseUrl + "/ws/xrpusdt@trade"), CancellationToken.None);

        // Not receiving means not answering the server's PINGs: once the pong timeout (300 ms after a ping every 100 ms,
        // on the wall clock) has passed, the server drops the connection, and its count of open connections says so.
        await Wait.UntilAsync(() => sandbox.Server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams) == 1, "the server accepted the connection");
        await Wait.UntilAsync(() => sandbox.Server.OpenConnections(SandboxSocketKinds.MarketStreams) == 0, "the server closed the silent connection");

        await FluentActions.Awaiting(() => SandboxHarness.ReceiveAsync(socket)).Should().ThrowAsync<WebSocketException>();
    }

    [Fact]
    public async Task ServerPing_ClientPongs_ConnectionStaysOpen()
    {
        // Ten pings in the second below; a generous pong timeout so a loaded CI machine does not look like a silent client.
        await using var sandbox = await SandboxHarness.StartAsync(o => (o.PingInterval, o.PongTimeout) = (TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3)));
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri(sandbox.Server.StreamBaseUrl + "/ws/xrpusdt@trade"), CancellationToken.None);
        var receiving = SandboxHarness.ReceiveAsync(socket, TimeSpan.FromSeconds(5));

        // Real time is the thing tested: a second of the server's pings (every 100 ms) answered, the connection still open.
        await Task.Delay(TimeSpan.FromSeconds(1));
        sandbox.Trade(0.5m, 10m);

        (await receiving).GetProperty("e").GetString().Should().Be("trade");
    }
}

using System.Net.WebSockets;
using System.Text.Json;
using NaiveStrategy.Binance.Sandbox.Internal;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class MalformedWebSocketTests
{
    [Theory]
    [InlineData("[1]")]
    [InlineData("\"x\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("{\"id\":1,\"method\":\"ping\"} trailing")]
    public async Task WebSocketApi_NotAJsonObject_Replies1135WithNullIdAndStaysOpen(string message)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        await SandboxHarness.SendAsync(socket, message);
        var reply = await SandboxHarness.ReceiveAsync(socket);

        reply.GetProperty("id").ValueKind.Should().Be(JsonValueKind.Null);
        reply.GetProperty("status").GetInt32().Should().Be(400);
        reply.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-1135);
        reply.GetProperty("error").GetProperty("msg").GetString().Should().StartWith("Invalid JSON Request");
        await AssertStillServesAsync(socket);
    }

    [Fact]
    public async Task WebSocketApi_BinaryFrame_Replies1135AndStaysOpen()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);
        using var timeout = new CancellationTokenSource(SandboxHarness.Timeout);

        await socket.SendAsync("{\"id\":1,\"method\":\"ping\"}"u8.ToArray(), WebSocketMessageType.Binary, true, timeout.Token);
        var reply = await SandboxHarness.ReceiveAsync(socket);

        reply.GetProperty("id").ValueKind.Should().Be(JsonValueKind.Null);
        reply.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-1135);
        reply.GetProperty("error").GetProperty("msg").GetString().Should().Contain("binary");
        await AssertStillServesAsync(socket);
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"method\":\"ping\",\"params\":[1]}", "\"a\"", -1135, "params")]
    [InlineData("{\"id\":7,\"method\":\"ping\",\"params\":\"x\"}", "7", -1135, "params")]
    [InlineData("{\"id\":\"a\",\"method\":42}", "\"a\"", -1135, "method")]
    [InlineData("{\"id\":\"a\"}", "\"a\"", -1102, "method")]
    [InlineData("{\"id\":\"a\",\"method\":\"\"}", "\"a\"", -1102, "method")]
    [InlineData("{\"id\":{\"x\":1},\"method\":\"ping\"}", "null", -1135, "id")]
    [InlineData("{\"id\":1.5,\"method\":\"ping\"}", "null", -1135, "id")]
    [InlineData("{\"id\":true,\"method\":\"ping\"}", "null", -1135, "id")]
    [InlineData("{\"id\":\"a\",\"method\":\"\\ud800\"}", "\"a\"", -1135, "escape")]
    [InlineData("{\"id\":\"a\",\"method\":\"order.status\",\"params\":{\"\\udc00\":1}}", "\"a\"", -1135, "escape")]
    public void Parse_MalformedRequest_ReturnsTheErrorAndTheReadableId(string text, string id, int code, string mentioned)
    {
        var request = WebSocketApiRequest.Parse(text, out var readId, out var error);

        request.Should().BeNull();
        (readId?.ToJsonString() ?? "null").Should().Be(id);
        error!.Status.Should().Be(400);
        error.Code.Should().Be(code);
        error.Message.Should().Contain(mentioned);
    }

    [Fact]
    public void Parse_ParamsOfEveryKind_ScalarsAsTextJsonAsRawNullAsAbsent()
    {
        var request = WebSocketApiRequest.Parse(
            "{\"id\":null,\"method\":\"exchangeInfo\",\"params\":{\"s\":\"x\",\"n\":1.50,\"b\":true,\"a\":[\"XRPUSDT\"],\"z\":null}}", out var id, out var error);

        error.Should().BeNull();
        id.Should().BeNull();
        request!.Method.Should().Be("exchangeInfo");
        request.Parameters.Should().BeEquivalentTo(new Dictionary<string, string> { ["s"] = "x", ["n"] = "1.50", ["b"] = "true", ["a"] = "[\"XRPUSDT\"]" });
    }

    [Fact]
    public async Task WebSocketApi_MalformedParamsWithId_EchoesTheId()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        await SandboxHarness.SendAsync(socket, "{\"id\":\"abc\",\"method\":\"exchangeInfo\",\"params\":[\"XRPUSDT\"]}");
        var reply = await SandboxHarness.ReceiveAsync(socket);

        reply.GetProperty("id").GetString().Should().Be("abc");
        reply.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-1135);
        await AssertStillServesAsync(socket);
    }

    [Theory]
    [InlineData("[null]")]
    [InlineData("[1]")]
    [InlineData("{\"a\":1}")]
    [InlineData("\"XRPUSDT\"")]
    public async Task WebSocketApi_ExchangeInfoBadSymbols_Replies1100AndStaysOpen(string symbols)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        await SandboxHarness.SendAsync(socket, "{\"id\":3,\"method\":\"exchangeInfo\",\"params\":{\"symbols\":" + symbols + "}}");
        var reply = await SandboxHarness.ReceiveAsync(socket);

        reply.GetProperty("id").GetInt32().Should().Be(3);
        reply.GetProperty("status").GetInt32().Should().Be(400);
        reply.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-1100);
        await AssertStillServesAsync(socket);
    }

    [Fact]
    public async Task UserDataUnsubscribe_MalformedSubscriptionId_Returns1100AndKeepsTheSubscription()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (socket, subscriptionId) = await sandbox.SubscribeUserDataAsync();
        using var _ = socket;

        await SandboxHarness.SendAsync(socket, "{\"id\":2,\"method\":\"userDataStream.unsubscribe\",\"params\":{\"subscriptionId\":\"x\"}}");
        var reply = await SandboxHarness.ReceiveAsync(socket);
        await SandboxHarness.SendAsync(socket, "{\"id\":3,\"method\":\"session.subscriptions\"}");
        var list = await SandboxHarness.ReceiveAsync(socket);

        reply.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-1100);
        list.GetProperty("result")[0].GetProperty("subscriptionId").GetInt64().Should().Be(subscriptionId);
    }

    [Theory]
    [InlineData("[1]", 3)]
    [InlineData("nope", 3)]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":\"xrpusdt@trade\",\"id\":1}", 1)]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":[1],\"id\":1}", 1)]
    [InlineData("{\"params\":[],\"id\":1}", 2)]
    [InlineData("{\"method\":\"EXPLODE\",\"id\":1}", 2)]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":[\"\"],\"id\":1}", 2)]
    [InlineData("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":[1]}", 2)]
    public async Task MarketStream_MalformedMessage_RepliesBinanceStreamErrorAndStaysOpen(string message, int code)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/ws/xrpusdt@trade");

        await SandboxHarness.SendAsync(socket, message);
        var reply = await SandboxHarness.ReceiveAsync(socket);
        sandbox.Trade(0.5m, 10m);
        var trade = await SandboxHarness.ReceiveAsync(socket);

        reply.GetProperty("error").GetProperty("code").GetInt32().Should().Be(code);
        trade.GetProperty("e").GetString().Should().Be("trade");
    }

    [Fact]
    public async Task MarketStream_BinaryFrame_RepliesCode3AndStaysOpen()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/ws/xrpusdt@trade");
        using var timeout = new CancellationTokenSource(SandboxHarness.Timeout);

        await socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, timeout.Token);
        var reply = await SandboxHarness.ReceiveAsync(socket);
        sandbox.Trade(0.5m, 10m);
        var trade = await SandboxHarness.ReceiveAsync(socket);

        reply.GetProperty("error").GetProperty("code").GetInt32().Should().Be(3);
        trade.GetProperty("e").GetString().Should().Be("trade");
    }

    [Fact]
    public async Task MarketStream_SubscribeOverTheStreamLimit_RepliesCode2AndAddsNone()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/stream?streams=xrpusdt@trade");
        var names = Enumerable.Range(0, MarketStreamSession.MaxStreams).Select(i => $"s{i}usdt@trade");

        await SandboxHarness.SendAsync(socket, JsonSerializer.Serialize(new { method = "SUBSCRIBE", @params = names, id = 1 }));
        var reply = await SandboxHarness.ReceiveAsync(socket);
        await SandboxHarness.SendAsync(socket, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}");
        var list = await SandboxHarness.ReceiveAsync(socket);

        reply.GetProperty("error").GetProperty("code").GetInt32().Should().Be(2);
        reply.GetProperty("error").GetProperty("msg").GetString().Should().Contain("1024");
        list.GetProperty("result").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task MarketStream_UrlOverTheStreamLimit_RefusedWith400()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var streams = string.Join('/', Enumerable.Range(0, MarketStreamSession.MaxStreams + 1).Select(i => i.ToString("x", System.Globalization.CultureInfo.InvariantCulture)));
        using var socket = new ClientWebSocket();

        var connect = () => socket.ConnectAsync(new Uri(sandbox.Server.StreamBaseUrl + "/stream?streams=" + streams), CancellationToken.None);

        await connect.Should().ThrowAsync<WebSocketException>().WithMessage("*400*");
    }

    private static async Task AssertStillServesAsync(ClientWebSocket socket)
    {
        await SandboxHarness.SendAsync(socket, "{\"id\":\"after\",\"method\":\"ping\"}");
        var pong = await SandboxHarness.ReceiveAsync(socket);
        pong.GetProperty("id").GetString().Should().Be("after");
        pong.GetProperty("status").GetInt32().Should().Be(200);
        socket.State.Should().Be(WebSocketState.Open);
    }
}

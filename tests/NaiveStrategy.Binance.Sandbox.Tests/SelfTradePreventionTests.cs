using System.Net;
using System.Text.Json;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox.Tests;

// Issue #24: self-trade prevention applied as Binance applies it (STP FAQ, user-data-stream.md), on the REST API, the
// WebSocket API and the user data stream. Each test fails on the sandbox that refused every mode but NONE.
public sealed class SelfTradePreventionTests
{
    private static Task<SandboxHarness> StartAsync(Action<SandboxOptions>? configure = null) => SandboxHarness.StartAsync(o =>
    {
        o.Balances["XRP"] = 1000m;
        configure?.Invoke(o);
    });

    private static Task<(HttpResponseMessage Response, JsonElement Json)> PlaceAsync(SandboxHarness sandbox, string id, string side, string quantity, string? mode) =>
        sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order",
            $"symbol=XRPUSDT&side={side}&type=LIMIT&timeInForce=GTC&quantity={quantity}&price=0.5&newClientOrderId={id}" + (mode is null ? string.Empty : "&selfTradePreventionMode=" + mode));

    private static async Task<JsonElement> QueryAsync(SandboxHarness sandbox, string id) =>
        (await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=" + id)).Json;

    [Fact]
    public async Task ExchangeInfo_Options_ListTheAllowedModesAndTheDefault()
    {
        await using var sandbox = await StartAsync(o =>
        {
            o.DefaultSelfTradePreventionMode = SelfTradePreventionMode.ExpireMaker;
            o.AllowedSelfTradePreventionModes.Remove(SelfTradePreventionMode.Decrement);
        });

        var json = await SandboxHarness.JsonAsync(await sandbox.Http.GetAsync("/api/v3/exchangeInfo"));

        var symbol = json.GetProperty("symbols")[0];
        symbol.GetProperty("defaultSelfTradePreventionMode").GetString().Should().Be("EXPIRE_MAKER");
        symbol.GetProperty("allowedSelfTradePreventionModes").EnumerateArray().Select(m => m.GetString())
            .Should().Equal("NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH");
    }

    [Fact]
    public async Task PlaceOrder_ExpireTakerMeetingOwnOrder_ExpiredInMatchWithPreventedMatches()
    {
        await using var sandbox = await StartAsync();
        var (_, maker) = await PlaceAsync(sandbox, "maker-1", "BUY", "100", null);

        var (response, taker) = await PlaceAsync(sandbox, "taker-1", "SELL", "150", "EXPIRE_TAKER");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        taker.GetProperty("status").GetString().Should().Be("EXPIRED_IN_MATCH");
        taker.GetProperty("selfTradePreventionMode").GetString().Should().Be("EXPIRE_TAKER");
        (taker.GetProperty("preventedMatchId").GetInt64(), taker.GetProperty("preventedQuantity").GetString()).Should().Be((0, "150.00000000"));
        taker.GetProperty("fills").GetArrayLength().Should().Be(0);
        var match = taker.GetProperty("preventedMatches").EnumerateArray().Should().ContainSingle().Subject;
        match.GetProperty("makerOrderId").GetInt64().Should().Be(maker.GetProperty("orderId").GetInt64());
        (match.GetProperty("price").GetString(), match.GetProperty("takerPreventedQuantity").GetString()).Should().Be(("0.50000000", "150.00000000"));
        match.TryGetProperty("makerPreventedQuantity", out _).Should().BeFalse("EXPIRE_TAKER expires nothing of the maker");
        var queried = await QueryAsync(sandbox, "maker-1");
        queried.GetProperty("status").GetString().Should().Be("NEW");
        queried.TryGetProperty("preventedQuantity", out _).Should().BeFalse();
    }

    [Fact]
    public async Task UserDataStream_ExpireMaker_TakerNewThenMakerTradePrevention()
    {
        await using var sandbox = await StartAsync();
        await PlaceAsync(sandbox, "maker-1", "BUY", "100", null);
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _socket = socket;

        var (_, taker) = await PlaceAsync(sandbox, "taker-1", "SELL", "150", "EXPIRE_MAKER");

        var takerNew = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");
        var prevention = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");
        (takerNew.GetProperty("c").GetString(), takerNew.GetProperty("x").GetString(), takerNew.GetProperty("V").GetString()).Should().Be(("taker-1", "NEW", "EXPIRE_MAKER"));
        (prevention.GetProperty("c").GetString(), prevention.GetProperty("x").GetString(), prevention.GetProperty("X").GetString()).Should().Be(("maker-1", "TRADE_PREVENTION", "EXPIRED_IN_MATCH"));
        (prevention.GetProperty("v").GetInt64(), prevention.GetProperty("A").GetString(), prevention.GetProperty("B").GetString()).Should().Be((0, "100.00000000", "100.00000000"));
        (prevention.GetProperty("U").GetInt64(), prevention.GetProperty("Cs").GetString(), prevention.GetProperty("u").GetInt64()).Should().Be((taker.GetProperty("orderId").GetInt64(), "XRPUSDT", -1));
        prevention.GetProperty("V").GetString().Should().Be("EXPIRE_MAKER", "the maker's own mode (the symbol's default); the taker's decided");
        taker.GetProperty("status").GetString().Should().Be("NEW");
        taker.GetProperty("preventedMatches")[0].GetProperty("makerPreventedQuantity").GetString().Should().Be("100.00000000");
    }

    [Fact]
    public async Task PlaceOrder_DecrementSmallerTaker_TakerExpiresAndMakerKeepsThePreventedQuantity()
    {
        await using var sandbox = await StartAsync();
        await PlaceAsync(sandbox, "maker-1", "BUY", "300", null);

        var (_, taker) = await PlaceAsync(sandbox, "taker-1", "SELL", "100", "DECREMENT");

        (taker.GetProperty("status").GetString(), taker.GetProperty("preventedQuantity").GetString()).Should().Be(("EXPIRED_IN_MATCH", "100.00000000"));
        var maker = await QueryAsync(sandbox, "maker-1");
        (maker.GetProperty("status").GetString(), maker.GetProperty("preventedQuantity").GetString(), maker.GetProperty("preventedMatchId").GetInt64())
            .Should().Be(("NEW", "100.00000000", 0));
    }

    [Fact]
    public async Task PlaceOrder_NoneMeetingOwnOrder_BothFillAsOneTrade()
    {
        await using var sandbox = await StartAsync();
        await PlaceAsync(sandbox, "maker-1", "BUY", "100", null);

        var (_, taker) = await PlaceAsync(sandbox, "taker-1", "SELL", "100", "NONE");

        taker.GetProperty("status").GetString().Should().Be("FILLED");
        (await QueryAsync(sandbox, "maker-1")).GetProperty("status").GetString().Should().Be("FILLED");
        var (_, trades) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/myTrades", "symbol=XRPUSDT");
        trades.EnumerateArray().Select(t => (t.GetProperty("id").GetInt64(), t.GetProperty("isBuyer").GetBoolean(), t.GetProperty("isMaker").GetBoolean(), t.GetProperty("price").GetString()))
            .Should().BeEquivalentTo([(1L, false, false, "0.50000000"), (1L, true, true, "0.50000000")]);
    }

    [Fact]
    public async Task PlaceOrder_NoModeSent_TheSymbolsDefaultApplies()
    {
        await using var sandbox = await StartAsync(o => o.DefaultSelfTradePreventionMode = SelfTradePreventionMode.ExpireBoth);
        await PlaceAsync(sandbox, "maker-1", "BUY", "100", null);

        var (_, taker) = await PlaceAsync(sandbox, "taker-1", "SELL", "100", null);

        (taker.GetProperty("status").GetString(), taker.GetProperty("selfTradePreventionMode").GetString()).Should().Be(("EXPIRED_IN_MATCH", "EXPIRE_BOTH"));
        (await QueryAsync(sandbox, "maker-1")).GetProperty("status").GetString().Should().Be("EXPIRED_IN_MATCH");
    }

    [Fact]
    public async Task WebSocketApiOrderPlace_ExpireBoth_BothExpiredInMatch()
    {
        await using var sandbox = await StartAsync();
        await PlaceAsync(sandbox, "maker-1", "BUY", "100", null);
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest("p-1", "order.place", new()
        {
            ["symbol"] = "XRPUSDT", ["side"] = "SELL", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = "40", ["price"] = "0.5",
            ["newClientOrderId"] = "taker-1", ["selfTradePreventionMode"] = "EXPIRE_BOTH",
        }));
        var answer = await SandboxHarness.ReceiveAsync(socket);

        var result = answer.GetProperty("result");
        (result.GetProperty("status").GetString(), result.GetProperty("selfTradePreventionMode").GetString(), result.GetProperty("preventedQuantity").GetString())
            .Should().Be(("EXPIRED_IN_MATCH", "EXPIRE_BOTH", "40.00000000"));
        var match = result.GetProperty("preventedMatches")[0];
        (match.GetProperty("takerPreventedQuantity").GetString(), match.GetProperty("makerPreventedQuantity").GetString()).Should().Be(("40.00000000", "100.00000000"));
        (await QueryAsync(sandbox, "maker-1")).GetProperty("status").GetString().Should().Be("EXPIRED_IN_MATCH");
    }
}

using System.Net;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class ControlTests
{
    private const string Crossing = "{\"symbol\":\"XRPUSDT\",\"price\":\"0.4\",\"qty\":\"200\"}";

    [Theory]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"-1\",\"qty\":\"10\"}", -1100, "trades[1].price")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":-1,\"qty\":\"10\"}", -1100, "trades[1].price")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"0\",\"qty\":\"10\"}", -1100, "trades[1].price")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":0,\"qty\":\"10\"}", -1100, "trades[1].price")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"0.4\",\"qty\":\"0\"}", -1100, "trades[1].qty")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"0.4\",\"qty\":-5}", -1100, "trades[1].qty")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"1e400\",\"qty\":\"1\"}", -1100, "trades[1].price")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":1e400,\"qty\":\"1\"}", -1100, "trades[1].price")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"99999999999999999999999999999999\",\"qty\":\"1\"}", -1100, "trades[1].price")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"79228162514264337593543950335\",\"qty\":\"2\"}", -1100, "trades[1]: price × qty")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":true,\"qty\":\"1\"}", -1100, "trades[1].price")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"qty\":\"1\"}", -1102, "trades[1].price")]
    [InlineData("{\"symbol\":\"NOPE\",\"price\":\"0.4\",\"qty\":\"1\"}", -1121, "trades[1].symbol")]
    [InlineData("{\"symbol\":\"xrpusdt\",\"price\":\"0.4\",\"qty\":\"1\"}", -1121, "trades[1].symbol")]
    [InlineData("{\"symbol\":42,\"price\":\"0.4\",\"qty\":\"1\"}", -1121, "trades[1].symbol")]
    [InlineData("{\"price\":\"0.4\",\"qty\":\"1\"}", -1102, "trades[1].symbol")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"0.4\",\"qty\":\"1\",\"time\":-1}", -1100, "trades[1].time")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"0.4\",\"qty\":\"1\",\"time\":1e30}", -1100, "trades[1].time")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"0.4\",\"qty\":\"1\",\"id\":\"x\"}", -1100, "trades[1].id")]
    [InlineData("{\"symbol\":\"XRPUSDT\",\"price\":\"0.4\",\"qty\":\"1\",\"m\":\"yes\"}", -1100, "trades[1].m")]
    [InlineData("[1]", -1135, "trades[1]")]
    public async Task ControlTrades_OneBadTrade_Returns400NamingItAndPublishesNothing(string bad, int code, string named)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.PlaceAsync("rest-1", price: "0.5000", quantity: "100");

        var response = await sandbox.Http.PostAsync("/sandbox/trades?speed=0", new StringContent($"[{Crossing},{bad}]"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var json = await SandboxHarness.JsonAsync(response);
        json.GetProperty("code").GetInt32().Should().Be(code);
        json.GetProperty("msg").GetString().Should().Contain(named);
        sandbox.Server.Exchange.Orders.Should().ContainSingle().Which.Status.Should().Be(OrderStatus.New);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[")]
    [InlineData("null")]
    public async Task ControlTrades_NotAnArray_Returns1135(string body)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.PostAsync("/sandbox/trades", new StringContent(body));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1135);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("-1")]
    [InlineData("fast")]
    [InlineData("1e3")]
    public async Task ControlTrades_BadSpeed_Returns400AndPublishesNothing(string speed)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.PlaceAsync("rest-1", price: "0.5000", quantity: "100");

        var response = await sandbox.Http.PostAsync("/sandbox/trades?speed=" + speed, new StringContent($"[{Crossing}]"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SandboxHarness.JsonAsync(response)).GetProperty("msg").GetString().Should().Contain("speed");
        sandbox.Server.Exchange.Orders.Should().ContainSingle().Which.Status.Should().Be(OrderStatus.New);
    }

    [Fact]
    public async Task ControlTrades_NumbersAndOptionalFields_Published()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.PlaceAsync("rest-1", price: "0.5000", quantity: "100");

        var response = await sandbox.Http.PostAsync("/sandbox/trades?speed=Infinity",
            new StringContent("[{\"symbol\":\"XRPUSDT\",\"price\":0.4,\"qty\":200,\"time\":1700000000000,\"id\":9,\"m\":true}]"));

        (await response.Content.ReadAsStringAsync()).Should().Be("{\"published\":1}");
        sandbox.Server.Exchange.Orders.Should().ContainSingle().Which.Status.Should().Be(OrderStatus.Filled);
    }

    [Theory]
    [InlineData("delay=99999999999999999999m")]
    [InlineData("delay=2000000m")]
    [InlineData("drop-ws-api=5000000s")]
    public async Task ControlFaults_DurationBeyondADay_Returns400(string spec)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.PostAsync("/sandbox/faults", new StringContent(spec));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SandboxHarness.JsonAsync(response)).GetProperty("msg").GetString().Should().Contain("1 day");
        sandbox.Server.Faults.ResponseDelay.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public async Task Control_Get_Returns405Json()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.GetAsync("/sandbox/trades");

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1000);
    }
}

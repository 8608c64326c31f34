using System.Net;
using NaiveStrategy.Binance.Sandbox.Internal;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class SignatureTests
{
    [Fact]
    public void Compute_BinanceTestVector_MatchesOfficialSignature()
    {
        var signature = Signature.Compute(
            "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
            "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559");

        signature.Should().Be("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
    }

    [Fact]
    public void WebSocketPayloads_Params_SortedByNameWithoutSignature()
    {
        var payloads = Signature.WebSocketPayloads(new Dictionary<string, string> { ["timestamp"] = "2", ["apiKey"] = "k", ["signature"] = "x", ["b"] = "a:b" });

        payloads.Should().Equal("apiKey=k&b=a:b&timestamp=2", "apiKey=k&b=a%3Ab&timestamp=2");
    }

    [Fact]
    public async Task Signed_NoApiKey_Returns2014With401()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", string.Empty, apiKey: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-2014);
    }

    [Fact]
    public async Task Signed_UnknownApiKey_Returns2015With401()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", string.Empty, apiKey: "someone-else");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-2015);
    }

    [Fact]
    public async Task Signed_WrongSecret_Returns1022With400()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", string.Empty, secret: "wrong");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Be("{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}");
    }

    [Fact]
    public async Task Signed_SecondKeyPair_IsAccepted()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.ApiKeys.Add(new SandboxApiKey("second", "second-secret")));

        var response = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", string.Empty, apiKey: "second", secret: "second-secret");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(-10_000, "")]
    [InlineData(-70_000, "&recvWindow=60000")]
    [InlineData(5_000, "")]
    public async Task Signed_TimestampOutsideWindow_Returns1021(long offsetMs, string recvWindow)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", $"timestamp={SandboxHarness.Now + offsetMs}{recvWindow}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1021);
    }

    [Fact]
    public async Task Signed_LongRecvWindow_AcceptsOldTimestamp()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", $"timestamp={SandboxHarness.Now - 10_000}&recvWindow=20000");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signed_RecvWindowAboveMaximum_Returns1131()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", "recvWindow=60001");

        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1131);
    }

    [Fact]
    public async Task Signed_MissingSignature_Returns1102()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v3/account?timestamp={SandboxHarness.Now}");
        request.Headers.Add("X-MBX-APIKEY", SandboxHarness.ApiKey);

        var response = await sandbox.Http.SendAsync(request);

        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1102);
    }
}

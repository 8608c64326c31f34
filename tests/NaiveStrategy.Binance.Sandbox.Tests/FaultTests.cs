using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task ResponseDelay_Set_DelaysRestAnswers()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.Faults.ResponseDelay = TimeSpan.FromMilliseconds(300);

        var watch = Stopwatch.StartNew();
        await sandbox.Http.GetAsync("/api/v3/ping");

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280));
    }

    [Fact]
    public async Task FailOrdersAfterAccepting_NextOrder_Returns503ButOrderExists()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.Faults.FailOrdersAfterAccepting(1);

        var (response, json) = await sandbox.PlaceAsync("unknown-1");
        var (_, queried) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=unknown-1");
        var (second, _) = await sandbox.PlaceAsync("unknown-2");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        json.GetProperty("code").GetInt32().Should().Be(-1007);
        queried.GetProperty("status").GetString().Should().Be("NEW");
        second.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RateLimitRequests_Next_Returns429WithRetryAfterThenRecovers()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.Faults.RetryAfter = TimeSpan.FromSeconds(2);
        sandbox.Server.Faults.RateLimitRequests(1);

        var limited = await sandbox.Http.GetAsync("/api/v3/time");
        var next = await sandbox.Http.GetAsync("/api/v3/time");

        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(2));
        (await SandboxHarness.JsonAsync(limited)).GetProperty("code").GetInt32().Should().Be(-1003);
        next.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BanRequests_Next_Returns418WithRetryAfter()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.Faults.BanRequests(1);

        var banned = await sandbox.Http.GetAsync("/api/v3/time");

        ((int)banned.StatusCode).Should().Be(418);
        banned.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        (await SandboxHarness.JsonAsync(banned)).GetProperty("msg").GetString().Should().Contain("banned until");
    }

    [Fact]
    public async Task RequestWeight_OverTheLimit_Returns429()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.RequestWeightPerMinute = 2);

        await sandbox.Http.GetAsync("/api/v3/ping");
        await sandbox.Http.GetAsync("/api/v3/ping");
        var third = await sandbox.Http.GetAsync("/api/v3/ping");

        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal("3");
    }

    [Fact]
    public async Task RejectTimestamps_NextTwo_SignedRequestsFail1021ThenSucceed()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Faults = SandboxFaultOptions.Parse("timestamp=2"));

        var unsigned = await sandbox.Http.GetAsync("/api/v3/time");
        var first = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", string.Empty);
        var second = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", string.Empty);
        var third = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/account", string.Empty);

        unsigned.StatusCode.Should().Be(HttpStatusCode.OK);
        (await SandboxHarness.JsonAsync(first)).GetProperty("code").GetInt32().Should().Be(-1021);
        (await SandboxHarness.JsonAsync(second)).GetProperty("code").GetInt32().Should().Be(-1021);
        third.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Archived_NextOrderQuery_Answered2026ThenTheOrder()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Faults = SandboxFaultOptions.Parse("archived=1"));
        await sandbox.PlaceAsync("ar-1");

        var first = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=ar-1");
        var second = await sandbox.SignedAsync(HttpMethod.Get, "/api/v3/order", "symbol=XRPUSDT&origClientOrderId=ar-1");

        (await SandboxHarness.JsonAsync(first)).GetProperty("code").GetInt32().Should().Be(-2026);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OrderUnknown_NextPlacement_ExecutedButAnswered1006With500()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Faults = SandboxFaultOptions.Parse("order-unknown=1"));

        var (response, json) = await sandbox.PlaceAsync("ou-1");

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        json.GetProperty("code").GetInt32().Should().Be(-1006);
        sandbox.Server.Exchange.Orders.Should().Contain(o => o.ClientOrderId == "ou-1");
    }

    [Fact]
    public async Task DropWebSockets_All_AbortsStreamAndUserDataConnections()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var market = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/ws/xrpusdt@trade");
        var (api, _) = await sandbox.SubscribeUserDataAsync();
        using var _ = api;

        sandbox.Server.Faults.DropWebSockets();

        await FluentActions.Awaiting(() => SandboxHarness.ReceiveAsync(market)).Should().ThrowAsync<WebSocketException>();
        await FluentActions.Awaiting(() => SandboxHarness.ReceiveAsync(api)).Should().ThrowAsync<WebSocketException>();
    }

    [Fact]
    public async Task DropMarketStreamsAfter_Set_DropsNewConnectionsAfterThatTime()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Faults.DropMarketStreamsAfter = TimeSpan.FromMilliseconds(200));
        using var market = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/ws/xrpusdt@trade");
        using var api = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        await FluentActions.Awaiting(() => SandboxHarness.ReceiveAsync(market)).Should().ThrowAsync<WebSocketException>();
        await SandboxHarness.SendAsync(api, "{\"id\":1,\"method\":\"ping\"}");
        (await SandboxHarness.ReceiveAsync(api)).GetProperty("status").GetInt32().Should().Be(200);
    }

    [Fact]
    public async Task DuplicateExecutionReports_On_SendsEachReportTwice()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.Faults.DuplicateExecutionReports = true;
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _ = socket;

        await sandbox.PlaceAsync("dup-1");
        var first = await SandboxHarness.ReceiveReportAsync(socket);
        var second = await SandboxHarness.ReceiveReportAsync(socket);

        second.ToString().Should().Be(first.ToString());
        first.GetProperty("event").GetProperty("x").GetString().Should().Be("NEW");
    }

    [Fact]
    public async Task ReorderExecutionReports_On_SendsConsecutiveReportsSwapped()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.Faults.ReorderExecutionReports = true;
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _ = socket;

        await sandbox.PlaceAsync("ord-1", price: "0.5000", quantity: "100");
        sandbox.Trade(0.4m, 1000m);
        var first = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");
        var second = (await SandboxHarness.ReceiveReportAsync(socket)).GetProperty("event");

        first.GetProperty("x").GetString().Should().Be("TRADE");
        second.GetProperty("x").GetString().Should().Be("NEW");
    }

    [Fact]
    public async Task ReorderExecutionReports_LoneReport_IsFlushedLate()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Faults.ReorderExecutionReports = true);
        var (socket, _) = await sandbox.SubscribeUserDataAsync();
        using var _ = socket;

        await sandbox.PlaceAsync("lone-1");
        var report = await SandboxHarness.ReceiveReportAsync(socket);

        report.GetProperty("event").GetProperty("c").GetString().Should().Be("lone-1");
    }

    [Fact]
    public async Task WebSocketApi_RateLimitFault_Returns429WithRetryAfterData()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);
        sandbox.Server.Faults.RateLimitRequests(1);

        await SandboxHarness.SendAsync(socket, "{\"id\":1,\"method\":\"ping\"}");
        var response = await SandboxHarness.ReceiveAsync(socket);

        response.GetProperty("status").GetInt32().Should().Be(429);
        response.GetProperty("error").GetProperty("data").GetProperty("retryAfter").GetInt64().Should().BeGreaterThan(SandboxHarness.Now - 1000);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.AspNetCore.Tests;

public sealed class ApiTests
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("GET", "/api/symbols")]
    [InlineData("GET", "/api/symbols/XRPUSDT")]
    [InlineData("POST", "/api/symbols/XRPUSDT/start")]
    [InlineData("POST", "/api/symbols/XRPUSDT/stop")]
    [InlineData("POST", "/api/symbols/XRPUSDT/shutdown")]
    [InlineData("PATCH", "/api/symbols/XRPUSDT/settings")]
    [InlineData("GET", "/api/events")]
    public async Task ApiRoute_WithoutOrWithAWrongToken_Is401AndChangesNothing(string method, string path)
    {
        await using var host = await ApiHost.StartAsync();

        using var none = await host.Anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "PATCH" ? Body("{\"chunks\":1}") : null });
        var wrong = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "PATCH" ? Body("{\"chunks\":1}") : null };
        wrong.Headers.Authorization = new("Bearer", ApiHost.Token + "x");
        using var bad = await host.Anonymous.SendAsync(wrong);

        none.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        bad.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        none.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
        host.Engine.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.On);
        host.Engine.GetState("XRPUSDT")!.Settings.Chunks.Should().Be(2);
    }

    [Fact]
    public async Task GetSymbols_Running_ListsStatusSettingsTradersAndMoneyInCamelCase()
    {
        await using var host = await ApiHost.StartAsync();
        host.Exchange.PublishTrade(ApiHost.Trade(1.00m, 1)); // the first trader places its BUY at 0.99

        using var response = await host.Client.GetAsync("/api/symbols");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var symbols = await JsonAsync(response);
        symbols.GetArrayLength().Should().Be(2);
        var xrp = symbols.EnumerateArray().Single(s => s.GetProperty("symbol").GetString() == "XRPUSDT");
        xrp.GetProperty("status").GetString().Should().Be("on");
        xrp.GetProperty("settings").GetProperty("chunks").GetInt32().Should().Be(2);
        xrp.GetProperty("settings").GetProperty("buyDownInterval").GetDecimal().Should().Be(0.01m);
        xrp.GetProperty("realizedPnl").GetDecimal().Should().Be(0m);
        xrp.GetProperty("dust").GetDecimal().Should().Be(0m);
        xrp.GetProperty("waitingForFunds").GetBoolean().Should().BeFalse();
        var trader = xrp.GetProperty("traders").EnumerateArray().Single();
        trader.GetProperty("id").GetString().Should().Be(host.Engine.GetState("XRPUSDT")!.Traders[0].TraderId);
        trader.GetProperty("phase").GetString().Should().Be("buying");
        trader.GetProperty("buyOrder").GetProperty("side").GetString().Should().Be("buy");
        trader.GetProperty("buyOrder").GetProperty("price").GetDecimal().Should().Be(0.99m);
        trader.GetProperty("buyOrder").GetProperty("status").GetString().Should().Be("new");
        trader.GetProperty("buyOrder").GetProperty("executedQuantity").GetDecimal().Should().Be(0m);
        xrp.GetProperty("openOrders").EnumerateArray().Single().GetProperty("traderId").GetString().Should().Be(trader.GetProperty("id").GetString());
        var eth = symbols.EnumerateArray().Single(s => s.GetProperty("symbol").GetString() == "ETHUSDT");
        eth.GetProperty("status").GetString().Should().Be("off");
        eth.GetProperty("traders").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task GetSymbol_LowerCaseName_IsTheSymbol()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Client.GetAsync("/api/symbols/xrpusdt");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await JsonAsync(response)).GetProperty("symbol").GetString().Should().Be("XRPUSDT");
    }

    [Fact]
    public async Task GetSymbol_Unknown_Is404NamingIt()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Client.GetAsync("/api/symbols/DOGEUSDT");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await JsonAsync(response)).GetProperty("detail").GetString().Should().Contain("DOGEUSDT");
    }

    [Fact]
    public async Task StopThenStart_RunningSymbol_ReturnOffThenOn()
    {
        await using var host = await ApiHost.StartAsync();

        using var stopped = await host.Client.PostAsync("/api/symbols/XRPUSDT/stop", null);
        (await JsonAsync(stopped)).GetProperty("status").GetString().Should().Be("off");
        host.Engine.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.Off);

        using var started = await host.Client.PostAsync("/api/symbols/XRPUSDT/start", null);
        (await JsonAsync(started)).GetProperty("status").GetString().Should().Be("on");
        host.Engine.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.On);
    }

    [Fact]
    public async Task Start_ConfiguredOffSymbol_StartsItsFirstTrader()
    {
        await using var host = await ApiHost.StartAsync();

        using var started = await host.Client.PostAsync("/api/symbols/ETHUSDT/start", null);

        started.StatusCode.Should().Be(HttpStatusCode.OK);
        (await JsonAsync(started)).GetProperty("status").GetString().Should().Be("on");
        host.Engine.GetState("ETHUSDT")!.Traders.Should().ContainSingle();
    }

    [Fact]
    public async Task Shutdown_TraderHoldingABuy_ReturnsShutdown()
    {
        await using var host = await ApiHost.StartAsync();
        host.Exchange.PublishTrade(ApiHost.Trade(1.00m, 1));

        using var response = await host.Client.PostAsync("/api/symbols/XRPUSDT/shutdown", null);

        (await JsonAsync(response)).GetProperty("status").GetString().Should().Be("shutdown");
        host.Engine.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.Shutdown);
    }

    [Fact]
    public async Task PatchSettings_ValidFields_AppliedAndSavedInTheStore()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Client.PatchAsync("/api/symbols/XRPUSDT/settings", Body("""{"chunks": 3, "budget": 150, "rebuyInterval": 0.02}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        body.GetProperty("chunks").GetInt32().Should().Be(3);
        body.GetProperty("budget").GetDecimal().Should().Be(150m);
        var settings = host.Engine.GetState("XRPUSDT")!.Settings;
        (settings.Chunks, settings.Budget, settings.RebuyInterval, settings.BuyDownInterval).Should().Be((3, 150m, 0.02m, 0.01m));
        host.Store.Load().Single(s => s.Settings.Symbol == "XRPUSDT").Settings.Chunks.Should().Be(3);
    }

    [Theory]
    [InlineData("""{"chunks": 0}""", "chunks")]
    [InlineData("""{"chunks": 1.5}""", "chunks")]
    [InlineData("""{"budget": "lots"}""", "budget")]
    [InlineData("""{"budget": -1}""", "budget")]
    [InlineData("""{"buyDownInterval": 1.5}""", "buyDownInterval")]
    [InlineData("""{"profitInterval": 2}""", "profitInterval")]
    [InlineData("""{"rebuyInterval": -0.1}""", "rebuyInterval")]
    [InlineData("""{"symbol": "BTCUSDT"}""", "symbol")]
    [InlineData("""{}""", "body")]
    [InlineData("""[1]""", "body")]
    public async Task PatchSettings_Invalid_Is400ProblemNamingTheField(string json, string field)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Client.PatchAsync("/api/symbols/XRPUSDT/settings", Body(json));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await JsonAsync(response);
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
        problem.GetProperty("detail").GetString().Should().StartWith(field + ":");
        host.Engine.GetState("XRPUSDT")!.Settings.Should().Be(ApiHost.Settings());
    }

    [Fact]
    public async Task PatchSettings_GuardsThenTheStopLevelTraded_SymbolShowsTheFiredGuardAndMetricsCountIt()
    {
        await using var host = await ApiHost.StartAsync();
        using var patched = await host.Client.PatchAsync("/api/symbols/XRPUSDT/settings", Body("""{"stopLossPrice": 0.9, "maxDrawdown": null, "guardAction": "exit"}"""));
        patched.StatusCode.Should().Be(HttpStatusCode.OK);
        var settings = await JsonAsync(patched);
        settings.GetProperty("stopLossPrice").GetDecimal().Should().Be(0.9m);
        settings.GetProperty("guardAction").GetString().Should().Be("exit");

        host.Exchange.PublishTrade(ApiHost.Trade(1.00m, 1));
        host.Exchange.PublishTrade(ApiHost.Trade(0.90m, 2));

        using var symbol = await host.Client.GetAsync("/api/symbols/XRPUSDT");
        var fired = (await JsonAsync(symbol)).GetProperty("guardFired");
        fired.GetProperty("guard").GetString().Should().Be("stopLoss");
        fired.GetProperty("action").GetString().Should().Be("exit");
        fired.GetProperty("price").GetDecimal().Should().Be(0.90m);
        using var metrics = await host.Client.GetAsync("/metrics");
        (await metrics.Content.ReadAsStringAsync()).Should().MatchRegex(@"naive_guards_fired_total\{[^}]*guard=""StopLoss""[^}]*symbol=""XRPUSDT""[^}]*\} 1");
    }

    [Theory]
    [InlineData("""{"guardAction": "sell"}""", "guardAction")]
    [InlineData("""{"maxDrawdown": 2}""", "maxDrawdown")]
    [InlineData("""{"stopLossPrice": "low"}""", "stopLossPrice")]
    public async Task PatchSettings_InvalidGuard_Is400NamingTheField(string json, string field)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Client.PatchAsync("/api/symbols/XRPUSDT/settings", Body(json));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    [Fact]
    public async Task PatchSettings_NeverStartedSymbol_Is409()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Client.PatchAsync("/api/symbols/ETHUSDT/settings", Body("""{"chunks": 3}"""));

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Events_TradeMakesAnOrder_StreamsTheEventsAsServerSentEvents()
    {
        await using var host = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        (await reader.ReadLineAsync()).Should().Be(": connected");

        host.Exchange.PublishTrade(ApiHost.Trade(1.00m, 1));

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        while ((line = await reader.ReadLineAsync(bound.Token)) != "event: orderPlaced")
        {
            line.Should().NotBeNull();
        }

        var data = await reader.ReadLineAsync(bound.Token);
        data.Should().StartWith("data: ");
        var e = JsonDocument.Parse(data!["data: ".Length..]).RootElement;
        e.GetProperty("type").GetString().Should().Be("orderPlaced");
        e.GetProperty("symbol").GetString().Should().Be("XRPUSDT");
        e.GetProperty("side").GetString().Should().Be("buy");
        e.GetProperty("price").GetDecimal().Should().Be(0.99m);
        e.GetProperty("traderId").GetString().Should().Be(host.Engine.GetState("XRPUSDT")!.Traders[0].TraderId);
    }

    [Fact]
    public async Task Healthz_NoToken_IsHealthy()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Anonymous.GetAsync("/healthz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Fact]
    public async Task Readyz_StartedEngine_IsHealthyWithTheEngineCheck()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Anonymous.GetAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        body.GetProperty("status").GetString().Should().Be("Healthy");
        body.GetProperty("checks").GetProperty("engine").GetProperty("description").GetString().Should().Be("started, streams connected, store writable");
    }

    [Fact]
    public async Task Readyz_StoreCannotWrite_Is503NamingTheError()
    {
        await using var host = await ApiHost.StartAsync();
        host.StoreFails = true;
        host.Exchange.PublishTrade(ApiHost.Trade(1.00m, 1)); // a state change the store must save

        using var response = await host.Anonymous.GetAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await JsonAsync(response)).GetProperty("checks").GetProperty("engine").GetProperty("description").GetString().Should().Be("the store cannot write: disk full");
        using var alive = await host.Anonymous.GetAsync("/healthz");
        alive.StatusCode.Should().Be(HttpStatusCode.OK, "alive is not ready");
    }

    [Fact]
    public async Task Readyz_SymbolTheExchangeDoesNotList_Is503NamingTheSymbol()
    {
        await using var host = await ApiHost.StartAsync(listXrp: false);

        using var response = await host.Anonymous.GetAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await JsonAsync(response)).GetProperty("checks").GetProperty("engine").GetProperty("description").GetString().Should().StartWith("starting: XRPUSDT (");
    }

    [Fact]
    public async Task Metrics_AfterAnOrder_PrometheusTextHasTheEngineInstruments()
    {
        await using var host = await ApiHost.StartAsync();
        host.Exchange.PublishTrade(ApiHost.Trade(1.00m, 1));

        using var response = await host.Anonymous.GetAsync("/metrics");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        text.Should().Contain("naive_orders_placed").And.Contain("symbol=\"XRPUSDT\"")
            .And.Contain("naive_trades_processed").And.Contain("naive_traders_active").And.Contain("naive_pnl_realized")
            .And.Contain("naive_tick_to_order_duration_seconds_bucket");
    }

    [Fact]
    public async Task Dashboard_Root_ServesThePageItsScriptAndStyle()
    {
        await using var host = await ApiHost.StartAsync();

        using var page = await host.Anonymous.GetAsync("/");
        using var script = await host.Anonymous.GetAsync("/dashboard.js");
        using var style = await host.Anonymous.GetAsync("/dashboard.css");

        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await page.Content.ReadAsStringAsync()).Should().Contain("<script src=\"dashboard.js\"").And.NotContain("http://").And.NotContain("https://");
        script.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        (await script.Content.ReadAsStringAsync()).Should().Contain("/api/events");
        style.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Options_NoTokenGiven_GeneratesOneThatTheApiAccepts()
    {
        await using var host = await ApiHost.StartAsync(token: null);
        var options = GetOptions(host);

        options.TokenGenerated.Should().Be(Environment.GetEnvironmentVariable(NaiveStrategyApiOptions.TokenVariable) is null or "");
        options.Token.Should().HaveLength(48);
        options.ToString().Should().NotContain(options.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/symbols");
        request.Headers.Authorization = new("Bearer", options.Token);
        using var response = await host.Anonymous.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Options_ShortToken_StartFailsNamingTheVariable()
    {
        var start = () => ApiHost.StartAsync(token: "short");

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("the API token (NAIVE_API_TOKEN) must be at least 16 characters, got 5.");
    }

    private static NaiveStrategyApiOptions GetOptions(ApiHost host) => host.Services.GetRequiredService<IOptions<NaiveStrategyApiOptions>>().Value;
}

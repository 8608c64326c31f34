using System.Text.Json;
using NaiveStrategy.Binance.Sandbox.Internal;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void FaultParse_FullSpec_SetsEveryOption()
    {
        var faults = SandboxFaultOptions.Parse("delay=200ms,order5xx=1,order5xx-status=500,429=2,418=3,retry-after=2s,timestamp=4,drop-ws-api=5s,drop-streams=1m,duplicate,reorder");

        faults.ResponseDelay.Should().Be(TimeSpan.FromMilliseconds(200));
        faults.ServerErrorAfterOrderCount.Should().Be(1);
        faults.ServerErrorStatus.Should().Be(500);
        faults.RateLimitCount.Should().Be(2);
        faults.BanCount.Should().Be(3);
        faults.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        faults.TimestampErrorCount.Should().Be(4);
        faults.DropWebSocketApiAfter.Should().Be(TimeSpan.FromSeconds(5));
        faults.DropMarketStreamsAfter.Should().Be(TimeSpan.FromMinutes(1));
        faults.DuplicateExecutionReports.Should().BeTrue();
        faults.ReorderExecutionReports.Should().BeTrue();
    }

    [Theory]
    [InlineData("explode")]
    [InlineData("delay=fast")]
    [InlineData("429=-1")]
    public void FaultParse_BadEntry_ThrowsNamingIt(string spec)
    {
        var parse = () => SandboxFaultOptions.Parse(spec);

        parse.Should().Throw<FormatException>().WithMessage($"*{spec.Split('=')[0]}*");
    }

    [Fact]
    public void FaultParse_StatusOutOfRange_Throws()
    {
        var parse = () => SandboxFaultOptions.Parse("order5xx-status=404");

        parse.Should().Throw<ArgumentException>().WithMessage("*ServerErrorStatus*");
    }

    [Fact]
    public void Validate_NoApiKeys_ThrowsNamingTheOption()
    {
        var options = new SandboxOptions();
        options.Symbols.Add(SymbolFilterPresets.XrpUsdt);

        var validate = options.Validate;

        validate.Should().Throw<ArgumentException>().WithMessage("*ApiKeys*");
    }

    [Fact]
    public async Task Start_NoSymbols_TradesDefaultXrpUsdt()
    {
        var options = new SandboxOptions();
        options.ApiKeys.Add(new SandboxApiKey("k", "s"));
        await using var server = new BinanceSandboxServer(options);

        var filters = await server.Exchange.GetSymbolFiltersAsync("XRPUSDT");

        filters.Value.Should().Be(SymbolFilterPresets.XrpUsdt);
    }

    [Fact]
    public void Validate_BadPort_ThrowsNamingIt()
    {
        var options = new SandboxOptions { Port = 70_000 };
        options.ApiKeys.Add(new SandboxApiKey("k", "s"));

        var validate = options.Validate;

        validate.Should().Throw<ArgumentException>().WithMessage("*Port*70000*");
    }

    [Fact]
    public void ApiKeyToString_Always_HidesTheSecret()
    {
        new SandboxApiKey("key", "super-secret").ToString().Should().NotContain("super-secret");
    }

    [Fact]
    public void ExchangeInfoParse_NotionalAndMinNotional_AcceptsBothAndSkipsNonTrading()
    {
        using var document = JsonDocument.Parse("""
            {"symbols":[
              {"symbol":"XRPUSDT","status":"TRADING","baseAsset":"XRP","quoteAsset":"USDT","filters":[
                {"filterType":"PRICE_FILTER","minPrice":"0.00010000","maxPrice":"10000.00000000","tickSize":"0.00010000"},
                {"filterType":"LOT_SIZE","minQty":"1.00000000","maxQty":"9222449.00000000","stepSize":"1.00000000"},
                {"filterType":"MIN_NOTIONAL","minNotional":"10.00000000","applyToMarket":true,"avgPriceMins":5}]},
              {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[
                {"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},
                {"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"},
                {"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000"}]},
              {"symbol":"OLDUSDT","status":"BREAK","baseAsset":"OLD","quoteAsset":"USDT","filters":[]}]}
            """);

        var symbols = ExchangeInfoFile.Parse(document.RootElement, "inline");

        symbols.Select(s => s.Symbol).Should().Equal("XRPUSDT", "BTCUSDT");
        symbols[0].Should().BeEquivalentTo(new { TickSize = 0.0001m, StepSize = 1m, MinNotional = 10m, NotionalFilterName = "MIN_NOTIONAL" });
        symbols[1].Should().BeEquivalentTo(new { TickSize = 0.01m, StepSize = 0.00001m, MinNotional = 5m, MaxNotional = 9_000_000m, NotionalFilterName = "NOTIONAL" });
    }

    [Fact]
    public async Task ExchangeInfoPath_File_LoadsItsSymbols()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, """
            {"symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH","quoteAsset":"BTC","filters":[
              {"filterType":"PRICE_FILTER","minPrice":"0.00000100","maxPrice":"922327.00000000","tickSize":"0.00000100"},
              {"filterType":"LOT_SIZE","minQty":"0.00010000","maxQty":"100000.00000000","stepSize":"0.00010000"},
              {"filterType":"MIN_NOTIONAL","minNotional":"0.00010000","applyToMarket":true,"avgPriceMins":5}]}]}
            """);
        try
        {
            await using var sandbox = await SandboxHarness.StartAsync(o => o.ExchangeInfoPath = path);

            var json = await SandboxHarness.JsonAsync(await sandbox.Http.GetAsync("/api/v3/exchangeInfo"));

            json.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()).Should().Equal("ETHBTC", "XRPUSDT");
        }
        finally
        {
            File.Delete(path);
        }
    }
}

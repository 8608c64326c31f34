using NaiveStrategy.Sample;

namespace NaiveStrategy.Sample.Tests;

public sealed class BacktestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SampleApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Backtest_BundledData_GrowsTradersToChunksAndReplacesThem()
    {
        var orders = Path.Combine(_dir, "orders.csv");
        var (code, output, _) = await Run("backtest", "--log-level", "None", "--orders-out", orders);

        code.Should().Be(0);
        output.Should().MatchRegex(@"max concurrent traders\s+\|\s+5 \|");
        var rows = File.ReadAllLines(orders);
        rows[0].Should().Be("order_id,client_order_id,trader_id,side,price,quantity,executed_quantity,status");
        var traders = rows.Skip(1).Select(r => r.Split(',')[2]).Distinct().ToList();
        traders.Count.Should().BeGreaterThan(5, "finished traders are replaced by fresh ones");
        traders.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Backtest_OrdersOut_PricesAndQuantitiesUseTickAndStepPrecision()
    {
        var orders = Path.Combine(_dir, "orders.csv");
        (await Run("backtest", "--log-level", "None", "--orders-out", orders, "--step-size", "0.1")).Code.Should().Be(0);

        foreach (var row in File.ReadAllLines(orders).Skip(1))
        {
            var f = row.Split(',');
            f[4].Should().MatchRegex(@"^\d+\.\d{4}$");
            f[5].Should().MatchRegex(@"^\d+\.\d$");
            f[6].Should().MatchRegex(@"^\d+\.\d$");
            f[7].Should().BeOneOf("NEW", "FILLED", "PARTIALLY_FILLED", "CANCELED", "REJECTED", "EXPIRED");
            f[1].Should().StartWith(f[2] + "-");
        }
    }

    [Fact]
    public async Task Backtest_SameInputs_SameOrdersAndSummary()
    {
        var a = Path.Combine(_dir, "a.csv");
        var b = Path.Combine(_dir, "b.csv");
        var first = await Run("backtest", "--log-level", "None", "--orders-out", a);
        var second = await Run("backtest", "--log-level", "None", "--orders-out", b);

        File.ReadAllBytes(a).Should().Equal(File.ReadAllBytes(b));
        Strip(first.Out).Should().Be(Strip(second.Out));

        static string Strip(string summary) => string.Join('\n', summary.Split('\n').Where(l => !l.StartsWith("wall time", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Backtest_JsonAndPlot_WritesReproducibleJsonAndPng()
    {
        var (a, b, png) = (Path.Combine(_dir, "a.json"), Path.Combine(_dir, "b.json"), Path.Combine(_dir, "equity.png"));
        (await Run("backtest", "--log-level", "None", "--json", a, "--plot", png)).Code.Should().Be(0);
        (await Run("backtest", "--log-level", "None", "--json", b)).Code.Should().Be(0);

        File.ReadAllText(a).Should().Be(File.ReadAllText(b)).And.Contain("\"maxConcurrentTraders\": 5");
        File.ReadAllBytes(png).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
    }

    [Fact]
    public async Task Sweep_Grid_RanksEveryCombinationByPnl()
    {
        var (code, output, _) = await Run("sweep", "--chunks", "1,5", "--buy-down", "0.0001:0.0003:0.0002");
        code.Should().Be(0);
        output.Should().Contain("Sweep of 4 settings");
        var totals = output.Split('\n').Where(l => l.StartsWith('|') && char.IsAsciiDigit(l.Trim('|', ' ')[0]))
            .Select(l => decimal.Parse(l.Split('|')[12].Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        totals.Should().HaveCount(4).And.BeInDescendingOrder();
    }

    [Fact]
    public async Task Sweep_SameAsBacktest_ForOneCombination()
    {
        var backtest = Path.Combine(_dir, "one.json");
        (await Run("backtest", "--log-level", "None", "--json", backtest, "--chunks", "3")).Code.Should().Be(0);
        var (code, output, _) = await Run("sweep", "--chunks", "3,4");
        code.Should().Be(0);
        var json = File.ReadAllText(backtest);
        var total = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("symbols")[0].GetProperty("totalPnl").GetDecimal();
        output.Should().Contain(Math.Round(total, 4).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("--chunks", "1.5", "whole numbers")]
    [InlineData("--buy-down", "0.5:0.1:0.1", "start <= stop")]
    public async Task Sweep_BadGrid_ExitCode2WithMessage(string option, string value, string message)
    {
        var (code, _, error) = await Run("sweep", option, value);
        code.Should().Be(2);
        error.Should().Contain(message);
    }

    [Fact]
    public async Task Backtest_ExchangeInfo_TakesFiltersFromTheFile()
    {
        var info = Path.Combine(_dir, "exchangeInfo.json");
        File.WriteAllText(info, """{"symbols":[{"symbol":"XRPUSDT","baseAsset":"XRP","quoteAsset":"USDT","filters":[{"filterType":"PRICE_FILTER","minPrice":"0.0001","maxPrice":"1000","tickSize":"0.0001"},{"filterType":"LOT_SIZE","minQty":"0.1","maxQty":"900000","stepSize":"0.1"},{"filterType":"NOTIONAL","minNotional":"5"}]}]}""");
        var orders = Path.Combine(_dir, "orders.csv");
        (await Run("backtest", "--log-level", "None", "--exchange-info", info, "--orders-out", orders)).Code.Should().Be(0);
        File.ReadAllLines(orders).Skip(1).Should().OnlyContain(r => System.Text.RegularExpressions.Regex.IsMatch(r.Split(',')[5], @"^\d+\.\d$"));

        var (code, _, error) = await Run("backtest", "--exchange-info", Path.Combine(_dir, "missing.json"));
        code.Should().Be(2);
        error.Should().Contain("missing.json");
    }

    [Fact]
    public async Task Backtest_MalformedLine_ErrorNamesFileAndLine()
    {
        var file = Path.Combine(_dir, "XRPUSDT-trades-2024-01-02.csv");
        File.WriteAllLines(file, ["1,0.5,10,5,1704067200000,True,True", "2,abc,10,5,1704067200001,True,True"]);

        var (code, _, error) = await Run("backtest", "--trades", file, "--log-level", "None");

        code.Should().Be(1);
        error.Should().Contain("XRPUSDT-trades-2024-01-02.csv line 2").And.Contain("abc");
    }

    [Theory]
    [InlineData("--chunks", "0", "chunks must be >= 1, got 0")]
    [InlineData("--budget", "abc", "--budget 'abc' is not a number")]
    [InlineData("--bogus", "1", "unknown option '--bogus'")]
    [InlineData("--tick-size", "0", "--tick-size and --step-size must be > 0")]
    public async Task Backtest_BadOption_ExitCode2WithMessage(string option, string value, string message)
    {
        var (code, _, error) = await Run("backtest", option, value);
        code.Should().Be(2);
        error.Should().Contain(message);
    }

    [Fact]
    public async Task Backtest_MissingFile_ErrorNamesPath()
    {
        var (code, _, error) = await Run("backtest", "--trades", Path.Combine(_dir, "nope.csv"));
        code.Should().Be(2);
        error.Should().Contain("nope.csv").And.Contain("does not exist");
    }
}

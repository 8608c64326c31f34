using static NaiveStrategy.Cli.Tests.CliRun;
using NaiveStrategy.Cli;

namespace NaiveStrategy.Cli.Tests;

public sealed class BacktestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Backtest_BundledData_GrowsTradersToChunksAndReplacesThem()
    {
        var orders = Path.Combine(_dir, "orders.csv");
        var (code, output, _) = await Run("backtest", "--log-level", "None", "--orders-out", orders);

        code.Should().Be(0);
        output.Should().MatchRegex(@"max concurrent traders\s+\|\s+5 \|");
        var rows = File.ReadAllLines(orders);
        rows[0].Should().Be("order_id,client_order_id,trader_id,side,price,quantity,executed_quantity,status,commission,commission_asset,time,error");
        var traders = rows.Skip(1).Select(r => r.Split(',')[2]).Distinct().ToList();
        traders.Count.Should().BeGreaterThan(5, "finished traders are replaced by fresh ones");
        traders.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Backtest_BundledData_NoRejectedOrderAndDustBelowOneStep()
    {
        var json = Path.Combine(_dir, "report.json");
        var (code, output, _) = await Run("backtest", "--log-level", "None", "--json", json);

        code.Should().Be(0);
        output.Should().MatchRegex(@"orders rejected\s+\|\s+0 \|");
        var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("symbols")[0];
        report.GetProperty("ordersRejected").GetInt32().Should().Be(0);
        report.GetProperty("dust").GetDecimal().Should().BeGreaterThanOrEqualTo(0m).And.BeLessThan(report.GetProperty("stepSize").GetDecimal());
    }

    [Fact]
    public async Task Backtest_MaxBuyWait_StaleBuysCanceledAndPlacedAgainAndTheRuleNamed()
    {
        var orders = Path.Combine(_dir, "orders.csv");
        var (code, output, _) = await Run("backtest", "--log-level", "None", "--max-buy-wait", "1%", "--orders-out", orders);

        code.Should().Be(0);
        output.Should().Contain("fee 0.001, max_buy_wait 1%");
        output.Should().MatchRegex(@"orders rejected\s+\|\s+0 \|");
        var rows = File.ReadAllLines(orders).Skip(1).Select(r => r.Split(',')).ToList();
        rows.Should().Contain(r => r[3] == "BUY" && r[7] == "CANCELED", "a BUY the market ran away from is canceled");
        rows.Should().Contain(r => r[1].EndsWith("-b2", StringComparison.Ordinal), "and placed again with its own client order id");
    }

    [Fact]
    public async Task Sweep_MaxBuyWaitList_RanksEachRuleWithItsColumn()
    {
        var (code, output, _) = await Run("sweep", "--max-buy-wait", "off,30m,1%");

        code.Should().Be(0);
        output.Should().Contain("max_buy_wait");
        output.Should().MatchRegex(@"\|\s+off \|").And.MatchRegex(@"\|\s+30m \|").And.MatchRegex(@"\|\s+1% \|");
    }

    [Theory]
    [InlineData("5x", "error: --max-buy-wait '5x' must be a duration (90s, 30m, 2h, 1d), a price distance (1.5%) or off.")]
    [InlineData("0m", "error: --max-buy-wait '0m': a duration must be above 0 and at most 365d.")]
    [InlineData("400d", "error: --max-buy-wait '400d': a duration must be above 0 and at most 365d.")]
    [InlineData("150%", "error: --max-buy-wait '150%': a price distance is a percentage above 0 % and below 100 %, e.g. 1.5%.")]
    public async Task Backtest_MaxBuyWaitInvalid_UsageErrorNamingTheValue(string value, string expected)
    {
        var (code, _, error) = await Run("backtest", "--max-buy-wait", value);

        code.Should().Be(2);
        error.Should().StartWith(expected);
    }

    [Theory]
    [InlineData("90s", "00:01:30", null)]
    [InlineData("30m", "00:30:00", null)]
    [InlineData("1.5h", "01:30:00", null)]
    [InlineData("1d", "1.00:00:00", null)]
    [InlineData("1.5%", null, "0.015")]
    [InlineData("off", null, null)]
    public void ParseStaleBuyRule_Valid_DurationOrDistance(string text, string? wait, string? distance)
    {
        var (w, d) = SettingsGrid.ParseStaleBuyRule(text);

        w?.ToString("c", System.Globalization.CultureInfo.InvariantCulture).Should().Be(wait);
        (w is null).Should().Be(wait is null);
        d?.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(distance);
        (d is null).Should().Be(distance is null);
        var settings = new SymbolSettings { Symbol = "XRPUSDT", MaxBuyWait = w, MaxBuyDistance = d };
        SettingsGrid.ParseStaleBuyRule(SettingsGrid.DescribeStaleBuyRule(settings)).Should().Be((w, d), "the description reads back");
    }

    // The issue's case: BUY 10 @ 1.0000 would fill, then SELL 9 (after the 0.01 fee) @ 1.0007 = 9.0063 < NOTIONAL 10.
    [Fact]
    public async Task Backtest_BudgetPerChunkCannotPassNotional_RefusedBeforeAnyOrderExit1()
    {
        var trades = Trades(string.Concat(Enumerable.Range(1, 50).Select(i => $"{i},{(i % 2 == 1 ? "1.0" : "0.99")},10,10,{1704067200000 + i},True,True\n")), "XRPUSDT-trades-2024-01-03.csv");
        var orders = Path.Combine(_dir, "orders.csv");

        var (code, _, error) = await Run("backtest", "--log-level", "None", "--trades", trades, "--budget", "52.5", "--chunks", "5", "--buy-down", "0", "--orders-out", orders);

        code.Should().Be(1);
        error.Should().Be("error: XRPUSDT: budget/chunks 10.5 gives a SELL notional 9.006, below NOTIONAL 10" + Environment.NewLine);
        File.ReadAllLines(orders).Should().ContainSingle("no order was sent, only the header is written");
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
    public async Task Backtest_OrdersOut_CommissionTimeAndErrorColumnsInvariant()
    {
        var orders = Path.Combine(_dir, "orders.csv");
        (await Run("backtest", "--log-level", "None", "--orders-out", orders)).Code.Should().Be(0);

        var rows = File.ReadAllLines(orders).Skip(1).Select(r => r.Split(',')).ToList();
        rows.Should().NotBeEmpty().And.OnlyContain(f => f.Length == 12);
        foreach (var f in rows)
        {
            f[8].Should().MatchRegex(@"^\d+(\.\d+)?$", "commission is a plain invariant decimal");
            f[10].Should().MatchRegex(@"^2024-01-01T\d{2}:\d{2}:\d{2}\.\d{7}Z$");
            if (f[7] == "REJECTED")
            {
                (f[0], f[6], f[8], f[9]).Should().Be(("", "0", "0", ""), "a refused placement has no exchange id and nothing executed");
                f[11].Should().MatchRegex(@"^-\d+$", "the exchange's error code");
            }
            else
            {
                f[0].Should().MatchRegex(@"^\d+$");
                f[11].Should().BeEmpty();
                f[9].Should().Be(f[6] == "0" ? "" : f[3] == "BUY" ? "XRP" : "USDT", "the fee is taken in the asset received");
            }
        }

        var times = rows.Select(f => DateTimeOffset.Parse(f[10], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        times.Should().OnlyContain(t => t.Offset == TimeSpan.Zero);
    }

    [Fact]
    public void OrdersCsvRow_RefusedPlacement_StatusRejectedAndTheExchangesCode()
    {
        var filters = new SymbolFilters { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 0.1m };
        var refused = new NaiveStrategy.Backtesting.JournalEntry(
            new OrderUpdate("XRPUSDT", "bt-3-b", 0, OrderSide.Buy, 0.499m, 50.1m, 0m, OrderStatus.Rejected, 0m, null, new DateTimeOffset(2024, 1, 1, 0, 0, 5, 250, TimeSpan.Zero)),
            "bt-3") { Error = new ExchangeError(ExchangeErrorKind.InsufficientFunds, -2010, "Account has insufficient balance for requested action.") };
        var filled = new NaiveStrategy.Backtesting.JournalEntry(
            new OrderUpdate("XRPUSDT", "bt-1-s", 7, OrderSide.Sell, 0.5012m, 50m, 50m, OrderStatus.Filled, 0.02506m, "USDT", new DateTimeOffset(2024, 1, 1, 0, 1, 2, TimeSpan.Zero)),
            "bt-1");

        OrdersCsv.Row(refused, filters).Should().Be(",bt-3-b,bt-3,BUY,0.4990,50.1,0.0,REJECTED,0,,2024-01-01T00:00:05.2500000Z,-2010");
        OrdersCsv.Row(filled, filters).Should().Be("7,bt-1-s,bt-1,SELL,0.5012,50.0,50.0,FILLED,0.02506,USDT,2024-01-01T00:01:02.0000000Z,");
    }

    [Fact]
    public async Task Backtest_BundledDayWithAndWithoutPartialFills_ReportAndJsonNameEachModel()
    {
        var (fullJson, partialJson) = (Path.Combine(_dir, "full.json"), Path.Combine(_dir, "partial.json"));

        var full = await Run("backtest", "--log-level", "None", "--json", fullJson);
        var partial = await Run("backtest", "--log-level", "None", "--json", partialJson, "--partial-fills");

        (full.Code, partial.Code).Should().Be((0, 0));
        full.Out.Should().MatchRegex(@"(?m)^fill model: full\r?$").And.NotContain("partial");
        partial.Out.Should().MatchRegex(@"(?m)^fill model: partial \(capped by each trade's quantity\)\r?$");
        File.ReadAllText(fullJson).Should().Contain("\"fillModel\": \"full\"");
        File.ReadAllText(partialJson).Should().Contain("\"fillModel\": \"partial\"");
    }

    [Fact]
    public async Task Backtest_PartialFills_TradeQuantityCapsTheFill()
    {
        // One XRP per trade: the full model fills the whole BUY at the first cross and sells it on the rise;
        // the partial model fills one XRP and keeps waiting for the rest, so no SELL is placed.
        var trades = Trades("1,0.5000,1,0.5,1704067200000,True,True\n2,0.4900,1,0.49,1704067201000,True,True\n3,0.6000,1,0.6,1704067202000,False,True\n");
        var (fullCsv, partialCsv) = (Path.Combine(_dir, "full.csv"), Path.Combine(_dir, "partial.csv"));

        (await Run("backtest", "--log-level", "None", "--trades", trades, "--orders-out", fullCsv)).Code.Should().Be(0);
        (await Run("backtest", "--log-level", "None", "--trades", trades, "--orders-out", partialCsv, "--partial-fills")).Code.Should().Be(0);

        // The first trader's orders (a rebuy starts others on the way down).
        var fullRows = File.ReadAllLines(fullCsv).Skip(1).Select(r => r.Split(',')).ToList();
        fullRows = fullRows.Where(f => f[2] == fullRows[0][2]).ToList();
        fullRows.Select(f => (f[3], f[7])).Should().Equal(("BUY", "FILLED"), ("SELL", "FILLED"));
        var partialRows = File.ReadAllLines(partialCsv).Skip(1).Select(r => r.Split(',')).ToList();
        partialRows = partialRows.Where(f => f[2] == partialRows[0][2]).ToList();
        partialRows.Select(f => (f[3], f[6], f[7])).Should().Equal(("BUY", "1", "PARTIALLY_FILLED"));
        partialRows[0][5].Should().Be(fullRows[0][5], "the same order, filled less");
    }

    [Fact]
    public async Task Sweep_PartialFills_ReportNamesTheModel()
    {
        var full = await Run("sweep", "--chunks", "1,5");
        var partial = await Run("sweep", "--chunks", "1,5", "--partial-fills");

        full.Out.Should().MatchRegex(@"(?m)^fill model: full\r?$");
        partial.Out.Should().MatchRegex(@"(?m)^fill model: partial \(capped by each trade's quantity\)\r?$");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sandbox_PartialFillsFlag_SetsTheSandboxFillModel(bool flag)
    {
        string[] args = flag ? ["--port", "0", "--partial-fills", "--api-key", "k", "--secret-key", "s"] : ["--port", "0", "--api-key", "k", "--secret-key", "s"];

        var (options, _) = LiveCommands.SandboxOptionsOf(args);

        options.PartialFills.Should().Be(flag);
        options.Port.Should().Be(0);
    }

    [Fact]
    public async Task Paper_PartialFillsFlag_Accepted()
    {
        // Without --symbol, paper stops before any network call: the flag got past the option check.
        var (code, _, error) = await Run("paper", "--partial-fills");

        code.Should().Be(2);
        error.Should().StartWith("error: --symbol is required").And.NotContain("unknown option");
    }

    [Fact]
    public async Task Help_NamesPartialFills()
    {
        var (code, output, _) = await Run("--help");

        code.Should().Be(0);
        output.Should().Contain("--partial-fills");
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
    [InlineData("--chunks", "1.5", "--chunks: 1.5 is not a whole number from 1 to 1000")]
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
    [InlineData("--chunks", "0", "--chunks: 0 is not a whole number from 1 to 1000")]
    [InlineData("--budget", "abc", "--budget 'abc' is not a number")]
    [InlineData("--bogus", "1", "unknown option '--bogus'")]
    [InlineData("--tick-size", "0", "--tick-size: 0 is not a number > 0 and <= 1000000")]
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

    private string Trades(string content, string name = "XRPUSDT-trades-2024-01-02.csv")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private const string Good = "1,0.5,10,5,1704067200000,True,True\n";

    [Theory]
    [InlineData("--chunks", "99999999999", "--chunks: 99999999999 is not a whole number from 1 to 1000.")]
    [InlineData("--budget", "79228162514264337593543950335", "--budget: 79228162514264337593543950335 is not a number > 0 and <= 1000000000000.")]
    [InlineData("--budget", "0", "--budget: 0 is not a number > 0")]
    [InlineData("--buy-down", "5", "--buy-down: buy_down_interval must be in [0, 1), got 5.")]
    [InlineData("--profit", "1", "--profit: profit_interval must be in (-1, 1), got 1.")]
    [InlineData("--rebuy", "-0.1", "--rebuy: rebuy_interval must be in [0, 1), got -0.1.")]
    [InlineData("--fee", "1", "--fee: fee_rate must be in [0, 1), got 1.")]
    [InlineData("--step-size", "2000000000", "--step-size: 2000000000 is not a number > 0 and <= 1000000000.")]
    [InlineData("--min-notional", "-1", "--min-notional: -1 is not a number >= 0")]
    public async Task Backtest_OptionOutOfRange_ExitCode2NamingOption(string option, string value, string message)
    {
        var (code, _, error) = await Run("backtest", "--log-level", "None", option, value);

        code.Should().Be(2);
        error.Should().StartWith("error: " + message).And.NotContain("   at ");
    }

    [Theory]
    [InlineData("--budget", "1:79228162514264337593543950335:79228162514264337593543950335", "--budget: 79228162514264337593543950335 is not a number")]
    [InlineData("--chunks", "1:5:0.5", "--chunks: 1.5 is not a whole number")]
    [InlineData("--chunks", "0:5:1", "--chunks: 0 is not a whole number from 1 to 1000")]
    [InlineData("--fee", "0:0.5:0.0001", "more than 1000 values")]
    public async Task Sweep_RangeOutOfBounds_ExitCode2(string option, string value, string message)
    {
        var (code, _, error) = await Run("sweep", option, value);

        code.Should().Be(2);
        error.Should().Contain(message).And.NotContain("   at ");
    }

    [Fact]
    public async Task Sweep_TooManyCombinations_ExitCode2()
    {
        var (code, _, error) = await Run("sweep", "--chunks", "1:20:1", "--budget", "10:200:10", "--fee", "0,0.001,0.002");

        code.Should().Be(2);
        error.Should().Contain("the settings make 1200 combinations; at most 1000 run in one sweep.");
    }

    [Theory]
    [InlineData("--count", "99999999999999999999999999", "--count: 99999999999999999999999999 is not a whole number from 1 to 1000000000.")]
    [InlineData("--seed", "1.5", "--seed: 1.5 is not a whole number")]
    [InlineData("--start-price", "0", "--start-price: 0 is not a number > 0")]
    [InlineData("--volatility", "5", "--volatility: 5 is not a number >= 0 and <= 0.1.")]
    [InlineData("--drift", "0.5", "--drift: 0.5 is not a number >= -0.01 and <= 0.01.")]
    public async Task Generate_OptionOutOfRange_ExitCode2NamingOption(string option, string value, string message)
    {
        var (code, _, error) = await Run("generate", "--out", Path.Combine(_dir, "XRPUSDT-trades-2024-01-01.csv"), option, value);

        code.Should().Be(2);
        error.Should().StartWith("error: " + message);
    }

    [Theory]
    [InlineData("2,0.5,-13,5,1704067200001,True,True\n", "line 2: qty -13 is not positive")]
    [InlineData("2,0.5,0,5,1704067200001,True,True\n", "line 2: qty 0 is not positive")]
    [InlineData("2,0.5,1e25,5,1704067200001,True,True\n", "line 2: qty '1e25' is out of range")]
    [InlineData("2,79228162514264337593543950335,1,5,1704067200001,True,True\n", "line 2: price '79228162514264337593543950335' is out of range")]
    [InlineData("2,0.5,10,5,1704067100000,True,True\n", "line 2: time 1704067100000 is before line 1's 1704067200000")]
    [InlineData("1,0.5,10,5,1704067200001,True,True\n", "line 2: duplicate trade id 1 (also on line 1)")]
    [InlineData("2,0.5,10,5,1704067200001000,True,True\n", "line 2: time 1704067200001000 is in microseconds but line 1's 1704067200000 is in milliseconds")]
    [InlineData("2,0.5,10,5,922337203685477581,True,True\n", "line 2: time 922337203685477581 is out of range")]
    [InlineData("2,0.5,10,5,1704067200001,True,True,junk\n", "line 2: more than 7 columns")]
    public async Task Backtest_BadTrade_Exit1NamingFileAndLine(string bad, string message)
    {
        var (code, _, error) = await Run("backtest", "--log-level", "None", "--trades", Trades(Good + bad));

        code.Should().Be(1);
        error.Should().StartWith("error: XRPUSDT-trades-2024-01-02.csv " + message).And.NotContain("   at ");
    }

    [Fact]
    public async Task Backtest_JunkAfterLastColumn_Exit1NamingLine()
    {
        var (code, _, error) = await Run("backtest", "--log-level", "None", "--trades", Trades(Good + "2,0.5,10,5,1704067200001,True,True" + new string('x', 10 << 20) + "\n"));

        code.Should().Be(1);
        error.Should().StartWith("error: XRPUSDT-trades-2024-01-02.csv line 2: the line is longer than 1024 bytes");
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("\n\n\n", "the file holds only blank lines")]
    [InlineData("id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n", "the file holds only a header")]
    public async Task Backtest_NoTrades_Exit1NamingFile(string content, string message)
    {
        var (code, _, error) = await Run("backtest", "--log-level", "None", "--trades", Trades(content));

        code.Should().Be(1);
        error.Should().StartWith($"error: XRPUSDT-trades-2024-01-02.csv: no trades: {message}.");
    }

    [Fact]
    public async Task Backtest_BomWithoutHeader_Replays()
    {
        var path = Path.Combine(_dir, "XRPUSDT-trades-2024-01-02.csv");
        File.WriteAllText(path, Good + "2,0.5,10,5,1704067200001,True,True\n", new System.Text.UTF8Encoding(true));

        var (code, output, _) = await Run("backtest", "--log-level", "None", "--trades", path);

        code.Should().Be(0);
        output.Should().MatchRegex(@"trades replayed\s+\|\s+2 \|");
    }

    [Fact]
    public async Task Backtest_DamagedZip_Exit1NamingArchive()
    {
        var zip = Path.Combine(_dir, "XRPUSDT-trades-2024-01.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("XRPUSDT-trades-2024-01.csv").Open());
            for (var i = 1; i <= 20_000; i++)
            {
                writer.Write($"{i},0.5,10,5,{1704067200000 + i},True,True\n");
            }
        }

        var bytes = File.ReadAllBytes(zip);
        for (var i = 200; i < 260; i++)
        {
            bytes[i] ^= 0x5A;
        }

        File.WriteAllBytes(zip, bytes);

        var (code, _, error) = await Run("backtest", "--log-level", "None", "--trades", zip);

        code.Should().Be(1);
        error.Should().StartWith("error: XRPUSDT-trades-2024-01.zip!XRPUSDT-trades-2024-01.csv: the zip archive is damaged (").And.NotContain("   at ");
    }

    [Fact]
    public async Task Backtest_SkipBadLines_ReportsCountByReasonAndRuns()
    {
        var path = Trades(Good + "2,0,10,5,1704067200001,True,True\n2,0.5,10,5,1704067200002,True,True\n2,0.5,10,5,1704067200003,True,True\n3,-1,10,5,1704067200004,True,True\n");

        var (code, output, _) = await Run("backtest", "--log-level", "None", "--trades", path, "--skip-bad-lines");

        code.Should().Be(0);
        output.Should().Contain("skipped lines: 3 (price not positive 2, duplicate id 1); first: XRPUSDT-trades-2024-01-02.csv line 2: price 0 is not positive.");
        output.Should().MatchRegex(@"trades replayed\s+\|\s+2 \|");
    }

    [Fact]
    public async Task Backtest_EveryLineSkipped_Exit1NoTrades()
    {
        var path = Trades("1,x,10,5,1704067200000,True,True\n2,0,10,5,1704067200001,True,True\n");

        var (code, _, error) = await Run("backtest", "--log-level", "None", "--trades", path, "--skip-bad-lines");

        code.Should().Be(1);
        error.Should().StartWith("error: no trades to replay in XRPUSDT-trades-2024-01-02.csv: skipped lines: 2 (price not a decimal 1, price not positive 1).");
    }

    [Fact]
    public async Task Backtest_NormalRun_NoCrashLineInReport()
    {
        var (code, output, error) = await Run("backtest", "--log-level", "None");

        code.Should().Be(0);
        output.Should().NotContain("traders crashed");
        error.Should().BeEmpty();
    }

    [Fact]
    public void ReportCrashes_SomeCrashed_Exit1WithMessage()
    {
        using var error = new StringWriter();

        CliApp.ReportCrashes(error, 3, 2).Should().Be(1);

        error.ToString().Should().StartWith("error: traders crashed 3 time(s) in 2 settings;");
    }

    [Fact]
    public void ReportCrashes_NoneCrashed_Exit0Silently()
    {
        using var error = new StringWriter();

        CliApp.ReportCrashes(error, 0, 0).Should().Be(0);

        error.ToString().Should().BeEmpty();
    }

    [Fact]
    public void ReportWriterBacktest_TradersCrashed_RowShown()
    {
        var report = new NaiveStrategy.Backtesting.SymbolReport { Symbol = "XRPUSDT", TradersCrashed = 2 };
        var result = new NaiveStrategy.Backtesting.BacktestResult([report], [], new Dictionary<string, IReadOnlyList<NaiveStrategy.Backtesting.EquityPoint>>());
        using var output = new StringWriter();

        ReportWriter.Backtest(output, new NaiveStrategy.SymbolSettings { Symbol = "XRPUSDT" }, result);

        output.ToString().Should().MatchRegex(@"traders crashed\s+\|\s+2 \|");
    }
}

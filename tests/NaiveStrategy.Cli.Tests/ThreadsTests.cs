using static NaiveStrategy.Cli.Tests.CliRun;

namespace NaiveStrategy.Cli.Tests;

/// <summary>--threads: the pipelined and parallel paths give the results of one thread, to the byte.</summary>
public sealed class ThreadsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-threads-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The report without its wall-time line (the only line that depends on the machine).
    private static string Report(string output) =>
        string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("wall time", StringComparison.Ordinal)));

    private async Task<(string Report, byte[] Orders, byte[] Json)> Backtest(int threads, params string[] more)
    {
        var orders = Path.Combine(_dir, $"orders-{threads}.csv");
        var json = Path.Combine(_dir, $"report-{threads}.json");
        var (code, output, error) = await Run(["backtest", "--log-level", "None", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--orders-out", orders, "--json", json, .. more]);
        code.Should().Be(0, error);
        return (Report(output), File.ReadAllBytes(orders), File.ReadAllBytes(json));
    }

    private async Task<string[]> GenerateSymbols()
    {
        var files = new List<string>();
        foreach (var (symbol, seed, price) in new[] { ("XRPUSDT", 1, "0.62"), ("ADAUSDT", 2, "0.55"), ("DOGEUSDT", 3, "0.09") })
        {
            var path = Path.Combine(_dir, $"{symbol}-trades-2024-01-01.csv");
            (await Run("generate", "--out", path, "--count", "30000", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--start-price", price, "--volatility", "0.001")).Code.Should().Be(0);
            files.Add(path);
        }

        return [.. files];
    }

    [Fact]
    public async Task Backtest_BundledDataPipelined_ByteIdenticalToOneThread()
    {
        var one = await Backtest(1);
        var two = await Backtest(2);

        two.Report.Should().Be(one.Report);
        two.Orders.Should().Equal(one.Orders);
        two.Json.Should().Equal(one.Json);
        one.Orders.Length.Should().BeGreaterThan(1_000, "the run places orders");
    }

    // --threads 1 runs one engine on one account for every symbol; more runs one engine and exchange per symbol in parallel.
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Backtest_SeveralSymbolsPipelined_ByteIdenticalToOneThread(int threads)
    {
        var files = await GenerateSymbols();
        string[] trades = [.. files.SelectMany(f => new[] { "--trades", f })];

        var one = await Backtest(1, trades);
        var many = await Backtest(threads, trades);

        many.Report.Should().Be(one.Report);
        many.Orders.Should().Equal(one.Orders);
        many.Json.Should().Equal(one.Json);
        one.Report.Should().Contain("ADAUSDT").And.Contain("DOGEUSDT").And.Contain("XRPUSDT");
        one.Orders.Length.Should().BeGreaterThan(1_000, "the run places orders");
    }

    [Fact]
    public async Task Backtest_SymbolWithoutTrades_ByteIdenticalToOneThread()
    {
        var files = await GenerateSymbols();
        // Its only line is skipped: the symbol is traded (its engine starts) but never sees a trade.
        var empty = Path.Combine(_dir, "BNBUSDT-trades-2024-01-01.csv");
        await File.WriteAllTextAsync(empty, "1,not-a-price,1,1,1704067200000,true,true\n");
        string[] trades = ["--skip-bad-lines", .. files.Append(empty).SelectMany(f => new[] { "--trades", f })];

        var one = await Backtest(1, trades);
        var two = await Backtest(2, trades);

        two.Report.Should().Be(one.Report);
        two.Orders.Should().Equal(one.Orders);
        two.Json.Should().Equal(one.Json);
        one.Report.Should().Contain("BNBUSDT").And.Contain("skipped");
    }

    [Fact]
    public async Task Sweep_ParallelOnEveryCore_RankingIdenticalToOneThread()
    {
        string[] grid = ["sweep", "--chunks", "1,3,5", "--buy-down", "0.0001,0.0005", "--profit", "-0.0012,0.001"];

        var one = await Run([.. grid, "--threads", "1"]);
        var four = await Run([.. grid, "--threads", "4"]);

        one.Code.Should().Be(0, one.Err);
        four.Code.Should().Be(0, four.Err);
        Report(four.Out).Should().Be(Report(one.Out));
        one.Out.Should().Contain("combination-trades/s");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("x")]
    public async Task Backtest_BadThreads_NamesTheOption(string value)
    {
        var (code, _, error) = await Run("backtest", "--threads", value);

        code.Should().Be(2);
        error.Should().StartWith("error: ").And.Contain("--threads");
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using static NaiveStrategy.Cli.Tests.CliRun;

namespace NaiveStrategy.Cli.Tests;

/// <summary>--no-skip gives the skipping replay's outputs to the byte; sweep --walk-forward picks and tests per window.</summary>
public sealed partial class SkipAndWalkForwardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-skip-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Report(string output) =>
        string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("wall time", StringComparison.Ordinal)));

    private async Task<(string Report, byte[] Orders, byte[] Json)> Backtest(string name, params string[] more)
    {
        var orders = Path.Combine(_dir, $"orders-{name}.csv");
        var json = Path.Combine(_dir, $"report-{name}.json");
        var (code, output, error) = await Run(["backtest", "--log-level", "None", "--orders-out", orders, "--json", json, .. more]);
        code.Should().Be(0, error);
        return (Report(output), File.ReadAllBytes(orders), File.ReadAllBytes(json));
    }

    [Theory]
    [InlineData("off", false)]
    [InlineData("30m", false)]
    [InlineData("1%", true)]
    [InlineData("off", true)]
    public async Task Backtest_NoSkip_SameReportOrdersAndJson(string staleRule, bool partial)
    {
        string[] options = ["--max-buy-wait", staleRule, "--threads", "1", .. partial ? new[] { "--partial-fills" } : []];
        var skipping = await Backtest("skip", options);
        var full = await Backtest("full", [.. options, "--no-skip"]);

        skipping.Report.Should().Be(full.Report);
        skipping.Orders.Should().Equal(full.Orders);
        skipping.Json.Should().Equal(full.Json);
        full.Orders.Length.Should().BeGreaterThan(1_000, "the run places orders");
    }

    [Fact]
    public async Task Sweep_NoSkip_SameRanking()
    {
        string[] grid = ["sweep", "--chunks", "1,5", "--buy-down", "0.0001,0.001", "--profit", "0.001,-0.0012"];
        var skipping = await Run(grid);
        var full = await Run([.. grid, "--no-skip"]);

        skipping.Code.Should().Be(0, skipping.Err);
        Report(skipping.Out).Should().Be(Report(full.Out));
    }

    [Fact]
    public async Task Sweep_WalkForward_FirstWindowWinnerIsTheTrainingSweepsTop()
    {
        string[] grid = ["--chunks", "1,3,5", "--buy-down", "0.0001,0.001", "--threads", "2"];
        var (code, output, error) = await Run(["sweep", "--walk-forward", "20m:10m", .. grid]);

        code.Should().Be(0, error);
        output.Should().Contain("6 settings, train 20m, test 10m, rolling by 10m, ranked by pnl");
        var windows = WindowLine().Matches(output);
        windows.Count.Should().Be(4, "67 minutes of trades hold 4 whole 20m + 10m windows rolled by 10m");
        output.Should().MatchRegex(@"in-sample winner in the top 10 % \(1 of 6\) out of sample: \d of 4 windows");

        // The first training window alone, swept: its top total PnL is the walk-forward's in-sample figure.
        var lines = File.ReadAllLines(CliApp.BundledTrades);
        var start = long.Parse(lines[0].Split(',')[4], CultureInfo.InvariantCulture);
        var train = Path.Combine(_dir, "XRPUSDT-trades-2024-01-01.csv");
        File.WriteAllLines(train, lines.Where(l => long.Parse(l.Split(',')[4], CultureInfo.InvariantCulture) < start + (20 * 60_000)));
        var sweep = await Run(["sweep", "--trades", train, .. grid]);
        sweep.Code.Should().Be(0, sweep.Err);
        var top = sweep.Out.Split('\n').First(l => l.StartsWith("|    1 |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
        windows[0].Groups["insample"].Value.Should().Be(top[^4], "the sweep's rank-1 total PnL");
    }

    [Fact]
    public async Task Sweep_WalkForwardRefusedSetting_RankedLast()
    {
        // 100 USDT over 10 chunks: each SELL would be below the 10 USDT NOTIONAL, so those settings never trade (PnL 0).
        var (code, output, error) = await Run("sweep", "--walk-forward", "20m:10m", "--chunks", "10,1", "--profit", "-0.0012");

        code.Should().Be(0, error);
        output.Should().Contain("1 of 2 settings refused before any order (a leg cannot pass the filters): ranked last");
        WindowLine().Matches(output).Should().OnlyContain(m => m.Value.Contains("chunks 1 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("7d", "TRAIN:TEST durations")]
    [InlineData("0d:1d", "TRAIN:TEST durations")]
    [InlineData("7d:1x", "TRAIN:TEST durations")]
    [InlineData("1d:1d", "less than one training and one test window")]
    public async Task Sweep_WalkForwardInvalid_OneLineError(string value, string expected)
    {
        var (code, _, error) = await Run("sweep", "--walk-forward", value);

        code.Should().NotBe(0);
        error.Should().Contain(expected).And.NotContain("   at ");
    }

    [Fact]
    public async Task Sweep_RankByWithoutWalkForward_OneLineError()
    {
        var (code, _, error) = await Run("sweep", "--rank-by", "sharpe");

        code.Should().NotBe(0);
        error.Should().Contain("--rank-by goes with --walk-forward");
    }

    [Fact]
    public async Task Sweep_RankByUnknown_OneLineError()
    {
        var (code, _, error) = await Run("sweep", "--walk-forward", "20m:10m", "--rank-by", "luck");

        code.Should().NotBe(0);
        error.Should().Contain("--rank-by 'luck' must be pnl, return-over-drawdown or sharpe.");
    }

    [Theory]
    [InlineData("return-over-drawdown")]
    [InlineData("sharpe")]
    public async Task Sweep_WalkForwardRankBy_NamesTheMetric(string rank)
    {
        var (code, output, error) = await Run("sweep", "--walk-forward", "20m:10m", "--chunks", "1,5", "--rank-by", rank);

        code.Should().Be(0, error);
        output.Should().Contain($"ranked by {rank}");
        WindowLine().Count(output).Should().Be(4);
    }

    // "     1  2024-01-01 00:00  2024-01-01 00:20  chunks … 12.3456  -1.2345  0.5000  3/6"
    [GeneratedRegex(@"^\s+\d+  \d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+chunks .*?\s+(?<insample>-?\d+\.\d{4})\s+(?<oos>-?\d+\.\d{4})\s+(?<dd>\d+\.\d{4})\s+\d+/\d+\s*$", RegexOptions.Multiline)]
    private static partial Regex WindowLine();
}

using static NaiveStrategy.Cli.Tests.CliRun;

namespace NaiveStrategy.Cli.Tests;

public sealed class GuardCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-guards-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Backtest_MaxDrawdownExit_ReportAndJsonShowTheGuardAndWhatTheExitSold()
    {
        var json = Path.Combine(_dir, "report.json");
        var (code, output, _) = await Run("backtest", "--log-level", "None", "--max-drawdown", "0.05", "--guard-action", "exit", "--json", json);

        code.Should().Be(0);
        output.Should().MatchRegex(@"max_drawdown 0\.05,\s+guard_action exit");
        output.Should().MatchRegex(@"Guard fired: XRPUSDT MaxDrawdown at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, price [0-9.]+, figure 0\.05[0-9]* \(threshold 0\.05\), action exit: sold [1-9][0-9]* for [0-9.]+");
        var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("symbols")[0];
        var guard = report.GetProperty("guards").EnumerateArray().Should().ContainSingle().Subject;
        guard.GetProperty("guard").GetString().Should().Be("maxDrawdown");
        guard.GetProperty("action").GetString().Should().Be("exit");
        guard.GetProperty("sold").GetDecimal().Should().BePositive();
        guard.GetProperty("proceeds").GetDecimal().Should().BePositive();
        report.GetProperty("openPosition").GetDecimal().Should().BeLessThan(report.GetProperty("stepSize").GetDecimal(), "the exit sold all but the dust");
        report.GetProperty("maxDrawdownFraction").GetDecimal().Should().BeLessThan(0.06m);
    }

    [Fact]
    public async Task Backtest_NoGuard_ReportUnchanged()
    {
        var json = Path.Combine(_dir, "report.json");
        var (code, output, _) = await Run("backtest", "--log-level", "None", "--json", json);

        code.Should().Be(0);
        output.Should().NotContain("Guard fired").And.NotContain("guard_action");
        File.ReadAllText(json).Should().NotContain("guards");
    }

    [Fact]
    public async Task Sweep_GuardLists_EachIsAGridDimensionWithItsColumn()
    {
        var (code, output, _) = await Run("sweep", "--max-drawdown", "off,0.05", "--guard-action", "stop,exit");

        code.Should().Be(0);
        output.Should().MatchRegex(@"\|\s+guards \|\s+fired \|");
        output.Should().MatchRegex(@"\|\s+dd0\.05 exit \|\s+1 \|").And.MatchRegex(@"\|\s+dd0\.05 stop \|\s+1 \|").And.MatchRegex(@"\|\s+off \|\s+0 \|");
    }

    [Theory]
    [InlineData("--guard-action", "sell", "error: --guard-action 'sell' must be stop or exit.")]
    [InlineData("--max-drawdown", "5", "error: XRPUSDT: max_drawdown must be in (0, 1) when set, got 5.")]
    [InlineData("--stop-loss", "x", "error: --stop-loss 'x' is not a number (use '.' as the decimal separator).")]
    [InlineData("--max-daily-loss", "-1", "error: XRPUSDT: max_daily_loss must be > 0 when set, got -1.")]
    public async Task Backtest_GuardOptionInvalid_UsageErrorNamingTheValue(string option, string value, string expected)
    {
        var (code, _, error) = await Run("backtest", option, value);

        code.Should().Be(2);
        error.Should().StartWith(expected);
    }
}

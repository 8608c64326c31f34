using static NaiveStrategy.Cli.Tests.CliRun;

namespace NaiveStrategy.Cli.Tests;

// --account-max-drawdown on a backtest of two symbols: XRPUSDT falls, ADAUSDT drifts sideways.
public sealed class AccountGuardCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-account-guard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(string Xrp, string Ada)> GenerateAsync()
    {
        var xrp = Path.Combine(_dir, "XRPUSDT-trades-2024-01-01.csv");
        var ada = Path.Combine(_dir, "ADAUSDT-trades-2024-01-01.csv");
        (await Run("generate", "--out", xrp, "--count", "20000", "--seed", "11", "--drift", "-0.00002")).Code.Should().Be(0);
        (await Run("generate", "--out", ada, "--count", "20000", "--seed", "12")).Code.Should().Be(0);
        return (xrp, ada);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("4")]
    public async Task Backtest_AccountMaxDrawdown_FiresInEverySymbolWithTheGuardAction(string threads)
    {
        var (xrp, ada) = await GenerateAsync();

        var (code, output, error) = await Run("backtest", "--trades", xrp, "--trades", ada, "--log-level", "None", "--threads", threads, "--account-max-drawdown", "0.05", "--guard-action", "exit");

        code.Should().Be(0, error);
        output.Should().MatchRegex(@"Guard fired: ADAUSDT AccountDrawdown at [0-9: -]+, price [0-9.]+, figure 0\.05[0-9]* \(threshold 0\.05\), action exit");
        output.Should().MatchRegex(@"Guard fired: XRPUSDT AccountDrawdown at [0-9: -]+, price [0-9.]+, figure 0\.05[0-9]* \(threshold 0\.05\), action exit: sold [1-9][0-9]* for");
    }

    [Fact]
    public async Task Backtest_NoAccountMaxDrawdown_NoGuardFires()
    {
        var (xrp, ada) = await GenerateAsync();

        var (code, output, _) = await Run("backtest", "--trades", xrp, "--trades", ada, "--log-level", "None");

        code.Should().Be(0);
        output.Should().NotContain("Guard fired");
    }

    [Theory]
    [InlineData("backtest", "--log-level")]
    [InlineData("paper", "--symbol")]
    [InlineData("live", "--symbol")]
    public async Task Command_AccountMaxDrawdownOutOfRange_UsageErrorNamingTheValue(string command, string option)
    {
        var (code, _, error) = await Run(command, option, option == "--symbol" ? "XRPUSDT" : "None", "--account-max-drawdown", "5");

        code.Should().Be(2);
        error.Should().StartWith("error: --account-max-drawdown '5' must be a fraction in (0, 1), e.g. 0.05 for 5 %.");
    }
}

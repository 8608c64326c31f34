using static NaiveStrategy.Cli.Tests.CliRun;

namespace NaiveStrategy.Cli.Tests;

// Every option of every command is declared once (CliOptions) and parsed by its type while the line is parsed.
public sealed class CliOptionsTests
{
    // What a command needs before its options (catalog's subcommand, ctl's address and action).
    private static readonly Dictionary<string, string[]> Before = new(StringComparer.Ordinal)
    {
        ["catalog"] = ["import"],
        ["ctl"] = ["set", "XRPUSDT"],
    };

    public static TheoryData<string, string> TypedOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (command, (values, _)) in CliOptions.Commands)
        {
            foreach (var option in values.Where(CliOptions.IsTyped))
            {
                data.Add(command, option);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TypedOptions))]
    public async Task RunAsync_BadValueOfATypedOption_OneLineNamingTheOptionThenTheHelpToSeeAndExit2(string command, string option)
    {
        var url = command == "ctl" && option != "url" ? new[] { "--url", "http://127.0.0.1:1/" } : [];

        var (code, output, error) = await Run([command, .. Before.GetValueOrDefault(command) ?? [], .. url, "--" + option, "bad!"]);

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            [error.Split('\n')[0], $"see 'naive {command} --help'"],
            "one line names the problem, the next where to read the options");
        error.Should().StartWith("error: --" + option).And.Contain("bad!");
    }

    [Fact]
    public void Commands_AnOptionSharedByCommands_HasOneTypeAndOneDescription()
    {
        var everywhere = CliOptions.Commands.Values.SelectMany(c => c.Values.Concat(c.Flags)).Distinct().ToList();

        everywhere.Should().OnlyContain(o => OptionHelp.IsDescribed(o), "every option is described once in the usage");
        foreach (var command in new[] { "backtest", "sweep", "sandbox", "paper", "live", "silo" })
        {
            CliOptions.Commands[command].Values.Should().Contain("log-level", $"{command} logs, so it takes --log-level");
        }

        foreach (var command in new[] { "backtest", "sweep", "paper", "live", "silo" })
        {
            CliOptions.Commands[command].Values.Should().Contain(CliOptions.Strategy, $"{command} runs the strategy, so it takes every setting and guard");
        }

        CliOptions.Commands["backtest"].Values.Should().Contain(CliOptions.Data);
        CliOptions.Commands["sweep"].Values.Should().Contain(CliOptions.Data);
        CliOptions.Commands["live"].Values.Should().Contain(CliOptions.Exchange);
        CliOptions.Commands["silo"].Values.Should().Contain(CliOptions.Exchange);
    }

    [Theory]
    [InlineData("speed", "0")]
    [InlineData("speed", "250")]
    [InlineData("port", "0")]
    [InlineData("max-buy-wait", "off,30m,1%")]
    [InlineData("guard-action", "stop,exit")]
    [InlineData("budget", "50:100:25")]
    [InlineData("stream-url", "wss://stream.binance.com:9443/")]
    public void Parse_ValidValue_Accepted(string option, string text) =>
        CliOptions.Parse(option, text).Should().NotBeNull();

    [Fact]
    public async Task RunAsync_SweepWithLogLevel_Accepted()
    {
        var (code, output, error) = await Run("sweep", "--chunks", "2,3", "--log-level", "Warning", "--threads", "1");

        error.Should().NotContain("error:");
        code.Should().Be(0);
        output.Should().Contain("Sweep of 2 settings");
    }

    [Fact]
    public async Task RunAsync_BadValueFromConfiguration_NamesTheKeyAndExit2()
    {
        var (code, _, error) = await RunWith(new Dictionary<string, string?> { ["Sample:Threads"] = "many" }, "backtest");

        code.Should().Be(2);
        error.Should().StartWith("error: --threads: many is not a whole number").And.Contain("Sample:Threads");
    }

    [Theory]
    [InlineData("[suggest:13]", "naive backtes", "backtest")]
    [InlineData("[suggest:19]", "naive backtest --tr", "--trades")]
    [InlineData("[suggest:26]", "naive sweep --log-level Wa", "Warning")]
    [InlineData("[suggest:14]", "naive catalog ", "import")]
    [InlineData("[suggest:17]", "naive completion ", "bash")]
    public async Task RunAsync_SuggestDirective_CompletesCommandsOptionsAndValues(string directive, string line, string expected)
    {
        var (code, output, _) = await Run(directive, line);

        code.Should().Be(0);
        output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Should().Contain(expected);
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _naive_complete naive")]
    [InlineData("zsh", "compdef _naive_complete naive")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName naive")]
    public async Task RunAsync_CompletionScript_WiresTheSuggestDirectiveIntoTheShell(string shell, string expected)
    {
        var (code, output, _) = await Run("completion", shell);

        code.Should().Be(0);
        output.Should().Contain(expected).And.Contain("[suggest:");
    }

    [Fact]
    public async Task RunAsync_CompletionOfAnUnknownShell_OneLineAndExit2()
    {
        var (code, _, error) = await Run("completion", "fish");

        code.Should().Be(2);
        error.Should().StartWith("error: completion: 'fish' is not one of bash, zsh, pwsh.");
    }
}

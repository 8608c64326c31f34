using static NaiveStrategy.Cli.Tests.CliRun;

namespace NaiveStrategy.Cli.Tests;

// Tab completion offers what the parser takes: every command, and for each command every option its parse knows.
public sealed class CompletionTests
{
    public static TheoryData<string> Commands() => [.. CliOptions.Commands.Keys];

    [Fact]
    public async Task Suggest_AfterNaive_EveryCommandAndNoOther()
    {
        var suggested = await SuggestAsync("naive "); // with the root's options (--help, /?, --version …)

        suggested.Where(s => char.IsLetter(s[0])).Should().BeEquivalentTo([.. CliOptions.Commands.Keys, "completion", "help"]);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Suggest_AfterACommandsDashes_EveryOptionItsParseKnowsAndNoOther(string command)
    {
        var suggested = await SuggestAsync($"naive {command} --");

        suggested.Where(s => s.StartsWith("--", StringComparison.Ordinal) && s != "--help").Should().BeEquivalentTo(KnownByTheParse(command));
    }

    // The parse's own list: an unknown option's error names every option the command takes.
    private static string[] KnownByTheParse(string command)
    {
        var parse = () => new CommandLine(command, ["--no-such-option"], fromConfiguration: false);
        var message = parse.Should().Throw<UsageException>().Which.Message;
        var known = message[(message.IndexOf("Known: ", StringComparison.Ordinal) + "Known: ".Length)..].TrimEnd('.');
        return known.Split(", ");
    }

    private static async Task<string[]> SuggestAsync(string line)
    {
        var (code, output, error) = await Run($"[suggest:{line.Length}]", line);
        code.Should().Be(0, error);
        return output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }
}

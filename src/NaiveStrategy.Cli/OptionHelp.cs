using System.Text.RegularExpressions;

namespace NaiveStrategy.Cli;

/// <summary>
/// Descriptions of the commands and options for <c>--help</c>, read from <see cref="CliApp.Usage"/>, the one
/// place they are written: a command's help shows its own options with the words of the general usage.
/// </summary>
internal static partial class OptionHelp
{
    private static readonly Lazy<(Dictionary<string, string> Commands, Dictionary<string, (string? Hint, string Description)> Options)> Parsed = new(Parse);

    /// <summary>The app's one-line description.</summary>
    public static string DescribeApp() => "The naive trading strategy on Binance or an in-memory exchange: backtest, sweep, sandbox, paper, live, silo, status, ctl, generate.";

    /// <summary>The command's description in the general usage.</summary>
    public static string DescribeCommand(string command) => Parsed.Value.Commands.GetValueOrDefault(command) ?? command;

    /// <summary>The option's value hint (<c>PATH</c>, <c>D</c>, …) and description in the general usage.</summary>
    public static (string? Hint, string Description) Describe(string option) => Parsed.Value.Options.GetValueOrDefault(option, (null, ""));

    /// <summary>True when the general usage describes <paramref name="option"/>.</summary>
    public static bool IsDescribed(string option) => Parsed.Value.Options.ContainsKey(option);

    private static (Dictionary<string, string>, Dictionary<string, (string?, string)>) Parse()
    {
        var commands = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new Dictionary<string, (string?, string)>(StringComparer.Ordinal);
        string? command = null;
        string? option = null;
        foreach (var line in CliApp.Usage.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (CommandLine().Match(line) is { Success: true } c)
            {
                (command, option) = (c.Groups[1].Value, null);
                commands[command] = c.Groups[2].Value.Trim();
            }
            else if (OptionLine().Match(line) is { Success: true } o)
            {
                (command, option) = (null, o.Groups[1].Value);
                options.TryAdd(option, (o.Groups[2].Success ? o.Groups[2].Value : null, o.Groups[3].Value.Trim()));
            }
            else if (Continuation().Match(line) is { Success: true } more)
            {
                if (command is not null)
                {
                    commands[command] += " " + more.Groups[1].Value.Trim();
                }
                else if (option is not null && options[option] is var (hint, text))
                {
                    options[option] = (hint, text + " " + more.Groups[1].Value.Trim());
                }
            }
            else
            {
                (command, option) = (null, null);
            }
        }

        return (commands, options);
    }

    // "  backtest   replay trades …"
    [GeneratedRegex(@"^  ([a-z]+) {2,}(\S.*)$")]
    private static partial Regex CommandLine();

    // "  --trades PATH        Binance public-data trades …" or "  --skip-bad-lines     count …"
    [GeneratedRegex(@"^  --([a-z-]+)(?: ([A-Z][A-Za-z:]*) +| {2,})(\S.*)$")]
    private static partial Regex OptionLine();

    // A description's next line, indented under it.
    [GeneratedRegex(@"^ {6,}(\S.*)$")]
    private static partial Regex Continuation();
}

using System.CommandLine;
using System.CommandLine.Completions;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Cli;

/// <summary>
/// Tab completion: <c>naive completion bash|zsh|pwsh</c> prints a script for the shell's profile; the script asks
/// <c>naive [suggest:POSITION] "LINE"</c> (System.CommandLine's suggest directive, as <c>dotnet-suggest</c> does) for
/// the commands, options and values that fit where the cursor is, from the one table of <see cref="CliOptions"/>.
/// </summary>
internal static class Completion
{
    /// <summary>The shells <c>naive completion</c> writes a script for.</summary>
    public static readonly string[] Shells = ["bash", "zsh", "pwsh"];

    // The values an option takes from a fixed list.
    private static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
    {
        ["log-level"] = Enum.GetNames<LogLevel>(),
        ["kind"] = ["trades", "aggTrades"],
        ["compression"] = ["none", "snappy", "zstd"],
        ["guard-action"] = ["stop", "exit"],
        [WalkForward.RankOption] = ["pnl", "return-over-drawdown", "sharpe"],
        ["max-buy-wait"] = ["off", "30m", "1%"],
    };

    /// <summary>True when <paramref name="args"/> is a completion request: <c>[suggest:N] "LINE"</c>.</summary>
    public static bool IsRequest(string[] args) => args is [var first, ..] && first.StartsWith("[suggest", StringComparison.Ordinal);

    /// <summary>Writes the completions of a <c>[suggest:N] "LINE"</c> request, one per line.</summary>
    public static int Suggest(string[] args, TextWriter output)
    {
        var root = Root();
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = TextWriter.Null });
    }

    /// <summary><c>naive completion SHELL</c>: the script that wires <c>naive</c>'s completions into that shell.</summary>
    public static int Script(string[] args, TextWriter output)
    {
        var shell = args is [var one] ? one : throw new UsageException($"completion needs one shell: {string.Join(", ", Shells)}.");
        output.Write(shell switch
        {
            "bash" => """
                # naive: tab completion for bash (add to ~/.bashrc: eval "$(naive completion bash)")
                _naive_complete() {
                  local IFS=$'\n'
                  COMPREPLY=( $(compgen -W "$(naive "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
                }
                complete -o default -F _naive_complete naive

                """,
            "zsh" => """
                # naive: tab completion for zsh (add to ~/.zshrc: eval "$(naive completion zsh)")
                _naive_complete() {
                  local -a completions
                  completions=("${(@f)$(naive "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null)}")
                  compadd -a completions
                }
                compdef _naive_complete naive

                """,
            "pwsh" => """
                # naive: tab completion for PowerShell (add to $PROFILE: naive completion pwsh | Out-String | Invoke-Expression)
                Register-ArgumentCompleter -Native -CommandName naive -ScriptBlock {
                  param($wordToComplete, $commandAst, $cursorPosition)
                  naive "[suggest:$cursorPosition]" "$commandAst" | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                  }
                }

                """,
            _ => throw new UsageException($"completion: '{shell}' is not one of {string.Join(", ", Shells)}."),
        });
        return 0;
    }

    // Every command of naive as the parse declares it (CommandLine.Declare), with the values an option or a command's
    // words may take, and completion and help, which CliApp answers itself.
    internal static RootCommand Root()
    {
        var root = new RootCommand(OptionHelp.DescribeApp());
        foreach (var (name, (values, flags)) in CliOptions.Commands)
        {
            var (command, options) = CommandLine.Declare(name, values, flags);
            foreach (var (value, option) in options)
            {
                if (Choices.TryGetValue(value, out var choices))
                {
                    option.CompletionSources.Add(choices);
                }
            }

            if (CliOptions.Words.TryGetValue(name, out var words))
            {
                var argument = new Argument<string[]>("words") { Arity = ArgumentArity.ZeroOrMore };
                argument.CompletionSources.Add(words);
                command.Arguments.Add(argument);
            }

            root.Subcommands.Add(command);
        }

        var shell = new Argument<string>("shell");
        shell.CompletionSources.Add(Shells);
        root.Subcommands.Add(new Command("completion", "print the tab-completion script of a shell: bash, zsh or pwsh") { Arguments = { shell } });
        root.Subcommands.Add(new Command("help", "the usage, or a command's help"));
        return root;
    }
}

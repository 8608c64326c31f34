using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NaiveStrategy.Cli;

/// <summary>A bad command line: the message says which option and why.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>--help</c> or <c>-h</c> was asked for: <see cref="Message"/> is the command's help, written to stdout with exit code 0.
/// </summary>
public sealed class HelpRequestedException(string help) : Exception(help);

/// <summary>
/// A command's options parsed by System.CommandLine: <c>--name value</c>, <c>--name=value</c> and flags
/// <c>--name</c>, every one checked against the command's known list (<see cref="CliOptions.Commands"/>), every
/// value parsed by its option's type (<see cref="CliOptions"/>) while the command line is parsed, so a bad value is
/// one error naming the option before the command starts; <c>--help</c> gives the command's help.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    /// <summary>The options of <paramref name="command"/> as <see cref="CliOptions.Commands"/> lists them.</summary>
    public CommandLine(string command, IReadOnlyList<string> args, bool fromConfiguration = true)
        : this(command, args, CliOptions.Commands[command].Values, CliOptions.Commands[command].Flags, fromConfiguration)
    {
    }

    /// <param name="command">The command, for its help.</param>
    /// <param name="args">The command's arguments.</param>
    /// <param name="valueOptions">Options that take a value.</param>
    /// <param name="flags">Options without a value.</param>
    /// <param name="fromConfiguration">Whether options left out come from appsettings.json and the environment (<see cref="CliConfiguration"/>).</param>
    public CommandLine(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags, bool fromConfiguration = true)
    {
        var (sub, options) = Declare(command, valueOptions, flags);
        sub.Options.Add(new HelpOption());
        var root = new Command("naive", OptionHelp.DescribeApp()) { Subcommands = { sub } };
        var result = root.Parse([command, .. args]);
        if (result.Action is HelpAction)
        {
            using var help = new StringWriter(CultureInfo.InvariantCulture);
            result.Invoke(new InvocationConfiguration { Output = help, Error = help });
            throw new HelpRequestedException(help.ToString().TrimEnd());
        }

        if (result.UnmatchedTokens is [var unmatched, ..])
        {
            throw new UsageException(unmatched.StartsWith('-')
                ? $"unknown option '{unmatched.Split('=', ':')[0]}'. Known: {string.Join(", ", valueOptions.Concat(flags).Select(o => "--" + o))}."
                : $"unexpected argument '{unmatched}'.");
        }

        if (result.Errors is [var error, ..])
        {
            throw new UsageException(error.SymbolResult is OptionResult { Tokens.Count: 0 } missing && missing.Option.Arity.MinimumNumberOfValues > 0
                ? $"{missing.Option.Name} needs a value."
                : error.Message);
        }

        var configuration = fromConfiguration ? CliConfiguration.Current : null;
        foreach (var (name, option) in options)
        {
            if (result.GetResult(option) is OptionResult { Implicit: false })
            {
                _values[name] = option is Option<string[]> many ? [.. result.GetValue(many) ?? []] : [];
            }
            else if (configuration is not null)
            {
                FromConfiguration(configuration, name, isFlag: option is Option<bool>);
            }
        }
    }

    /// <summary>
    /// <paramref name="command"/> as System.CommandLine declares it: each option that takes a value (one per
    /// occurrence, checked by its type while parsing) and each flag, by name. The one declaration of both the parse
    /// (here) and tab completion (<see cref="Completion"/>), so the two cannot know different options.
    /// </summary>
    public static (Command Command, IReadOnlyDictionary<string, Option> Options) Declare(string command, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        var sub = new Command(command, OptionHelp.DescribeCommand(command));
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var name in valueOptions)
        {
            var (hint, description) = OptionHelp.Describe(name);
            var option = new Option<string[]>("--" + name) { Description = description, HelpName = hint, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
            option.Validators.Add(result => Validate(name, result));
            options[name] = option;
        }

        foreach (var name in flags)
        {
            options[name] = new Option<bool>("--" + name) { Description = OptionHelp.Describe(name).Description, Arity = ArgumentArity.Zero };
        }

        foreach (var option in options.Values)
        {
            sub.Options.Add(option);
        }

        return (sub, options);
    }

    // Each value parsed by the option's type: the first bad one is the parse's error, naming the option.
    private static void Validate(string name, OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            try
            {
                CliOptions.Parse(name, token.Value);
            }
            catch (UsageException ex)
            {
                result.AddError(ex.Message);
                return;
            }
        }
    }

    // An option the command line left out, from appsettings.json or the environment (CliConfiguration).
    private void FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration, string name, bool isFlag)
    {
        var key = CliConfiguration.KeyOf(name);
        var section = configuration.GetSection(key);
        if (isFlag)
        {
            if (section.Value is { } text)
            {
                _values.Remove(name);
                if (!bool.TryParse(text, out var on))
                {
                    throw new UsageException($"{key} (configuration, for --{name}): '{text}' is not true or false.");
                }

                if (on)
                {
                    _values[name] = [];
                    CliConfiguration.Took(name, key);
                }
            }

            return;
        }

        // A list (Sample:Trades:0, :1 …) or one value.
        var values = section.Value is { } one ? [one] : section.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (values.Count > 0)
        {
            _values[name] = values;
            CliConfiguration.Took(name, key);
            CheckConfigured(name, values);
        }
    }

    // A configured value is parsed by the option's type like one on the command line (the error names the key: CliConfiguration.Explain).
    private static void CheckConfigured(string name, List<string> values)
    {
        foreach (var value in values)
        {
            CliOptions.Parse(name, value);
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) => _values.TryGetValue(name, out var list) && list.Count > 0 ? list[^1] : null;

    public IReadOnlyList<string> Strings(string name) => _values.GetValueOrDefault(name) ?? [];

    public decimal Decimal(string name, decimal fallback) => String(name) is { } text ? ParseDecimal(name, text) : fallback;

    /// <summary><c>--fee '0,1' is not a decimal number (use '.' as the decimal separator).</c> unless <paramref name="text"/> is one (invariant culture).</summary>
    public static decimal ParseDecimal(string name, string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} '{text}' is not a decimal number (use '.' as the decimal separator).");

    /// <summary>The option's number, checked against <paramref name="bounds"/>; the message names the option and the bounds.</summary>
    public decimal Decimal(string name, decimal fallback, Bounds bounds)
    {
        var value = Decimal(name, fallback);
        bounds.Check(name, value);
        return value;
    }

    /// <summary>The option's whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public long Whole(string name, long fallback, long min, long max) => String(name) is { } text ? ParseWhole(name, text, min, max) : fallback;

    /// <summary><c>--chunks: 99999999999 is not a whole number from 1 to 1000</c> unless <paramref name="text"/> is one.</summary>
    public static long ParseWhole(string name, string text, long min, long max) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value % 1 == 0 && value >= min && value <= max
            ? (long)value
            : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--{name}: {text} is not a whole number from {min} to {max}."));

    /// <summary>
    /// Bounds of a decimal option. Upper bounds keep the backtest's decimal arithmetic (≈ 7.9e28 at most)
    /// far from overflowing: a budget of 1e12 spent at prices of 1e-8 still leaves room to mark the position
    /// at prices 1e8 times higher.
    /// </summary>
    public sealed record Bounds(decimal Min, bool MinIncluded, decimal Max)
    {
        public void Check(string name, decimal value)
        {
            if (value < Min || (value == Min && !MinIncluded) || value > Max)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--{name}: {value} is not a number {(MinIncluded ? ">=" : ">")} {Min} and <= {Max}."));
            }
        }
    }
}

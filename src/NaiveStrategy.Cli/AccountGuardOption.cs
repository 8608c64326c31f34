using System.Globalization;

namespace NaiveStrategy.Cli;

/// <summary>
/// <c>--account-max-drawdown F</c> (backtest, paper, live): the account-wide <see cref="NaiveStrategyOptions.MaxDrawdown"/>
/// over every symbol, with <c>--guard-action</c> (one value) as its action.
/// </summary>
internal static class AccountGuardOption
{
    public const string Name = "account-max-drawdown";

    /// <summary>The fraction given, or null when the option is absent; a value outside (0, 1) is a usage error.</summary>
    public static decimal? Read(CommandLine cl)
    {
        ArgumentNullException.ThrowIfNull(cl);
        return cl.String(Name) is { } text ? Parse(text) : null;
    }

    /// <summary>A fraction in (0, 1); anything else is a usage error naming the option.</summary>
    public static decimal Parse(string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value > 0 && value < 1
            ? value
            : throw new UsageException($"--{Name} '{text}' must be a fraction in (0, 1), e.g. 0.05 for 5 %.");

    /// <summary>Sets the account guard on <paramref name="options"/> when the command line asks for it.</summary>
    public static void Apply(CommandLine cl, NaiveStrategyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Read(cl) is { } drawdown)
        {
            options.MaxDrawdown = drawdown;
            options.MaxDrawdownAction = GuardOptions.ParseAction(cl.String("guard-action") ?? "stop");
        }
    }
}

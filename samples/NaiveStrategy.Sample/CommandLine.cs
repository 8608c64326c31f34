using System.Globalization;

namespace NaiveStrategy.Sample;

/// <summary>A bad command line: the message says which option and why.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Options of the form <c>--name value</c> and flags <c>--name</c>, every one checked against a known list.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public CommandLine(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{arg}'.");
            }

            var name = arg[2..];
            if (flags.Contains(name))
            {
                _values[name] = [];
            }
            else if (valueOptions.Contains(name))
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"--{name} needs a value.");
                }

                (_values.TryGetValue(name, out var list) ? list : _values[name] = []).Add(args[++i]);
            }
            else
            {
                throw new UsageException($"unknown option '{arg}'. Known: {string.Join(", ", valueOptions.Concat(flags).Select(o => "--" + o))}.");
            }
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) => _values.TryGetValue(name, out var list) && list.Count > 0 ? list[^1] : null;

    public IReadOnlyList<string> Strings(string name) => _values.GetValueOrDefault(name) ?? [];

    public decimal Decimal(string name, decimal fallback)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} '{text}' is not a decimal number (use '.' as the decimal separator).");
    }

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

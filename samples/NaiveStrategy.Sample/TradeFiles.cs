using System.Globalization;
using System.Text.RegularExpressions;

namespace NaiveStrategy.Sample;

/// <summary>A trades file could not be read: the message names the file, the line and the problem.</summary>
public sealed class TradeDataException(string message) : Exception(message);

/// <summary>Reads Binance public-data trades CSV files (<c>id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch</c>).</summary>
internal static partial class TradeFiles
{
    public static string? SymbolFromFileName(string path)
    {
        var match = SymbolPattern().Match(Path.GetFileName(path));
        return match.Success ? match.Groups[1].Value : null;
    }

    public static IEnumerable<TradeEvent> Read(string path, string symbol)
    {
        using var reader = new StreamReader(path);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("id,", StringComparison.Ordinal)))
            {
                continue;
            }

            yield return Parse(line, symbol, path, lineNumber);
        }
    }

    private static TradeEvent Parse(string line, string symbol, string path, int lineNumber)
    {
        var f = line.Split(',');
        if (f.Length < 6)
        {
            throw Bad($"expected 7 comma-separated columns, found {f.Length}");
        }

        var inv = CultureInfo.InvariantCulture;
        if (!long.TryParse(f[0], NumberStyles.Integer, inv, out var id))
        {
            throw Bad($"trade id '{f[0]}' is not an integer");
        }

        if (!decimal.TryParse(f[1], NumberStyles.Number, inv, out var price) || price <= 0)
        {
            throw Bad($"price '{f[1]}' is not a positive decimal");
        }

        if (!decimal.TryParse(f[2], NumberStyles.Number, inv, out var qty) || qty < 0)
        {
            throw Bad($"qty '{f[2]}' is not a decimal");
        }

        if (!long.TryParse(f[4], NumberStyles.Integer, inv, out var time))
        {
            throw Bad($"time '{f[4]}' is not an integer");
        }

        if (!bool.TryParse(f[5], out var buyerMaker))
        {
            throw Bad($"isBuyerMaker '{f[5]}' is not True or False");
        }

        // Binance switched the files from milliseconds to microseconds on 2025-01-01.
        var at = time >= 100_000_000_000_000 ? DateTimeOffset.UnixEpoch.AddTicks(time * 10) : DateTimeOffset.FromUnixTimeMilliseconds(time);
        return new TradeEvent(symbol, id, price, qty, at, buyerMaker);

        TradeDataException Bad(string what) => new($"{Path.GetFileName(path)} line {lineNumber}: {what}.");
    }

    [GeneratedRegex(@"^([A-Z0-9]+)-trades-\d{4}-\d{2}(-\d{2})?\.(csv|zip)$")]
    private static partial Regex SymbolPattern();
}

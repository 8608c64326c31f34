using System.Globalization;

namespace NaiveStrategy.Sample;

/// <summary>Strategy settings from the command line; each may be a value, a list <c>a,b,c</c> or a range <c>start:stop:step</c> (stop included).</summary>
internal static class SettingsGrid
{
    public static readonly string[] Options = ["budget", "chunks", "buy-down", "profit", "rebuy", "fee"];

    public static IReadOnlyList<SymbolSettings> Parse(CommandLine cl, string symbol)
    {
        var d = new SymbolSettings { Symbol = symbol, Status = SymbolStatus.On };
        var grid =
            from budget in Values(cl, "budget", d.Budget)
            from chunks in Values(cl, "chunks", d.Chunks)
            from buyDown in Values(cl, "buy-down", d.BuyDownInterval)
            from profit in Values(cl, "profit", d.ProfitInterval)
            from rebuy in Values(cl, "rebuy", d.RebuyInterval)
            from fee in Values(cl, "fee", d.FeeRate)
            select d with { Budget = budget, Chunks = (int)chunks, BuyDownInterval = buyDown, ProfitInterval = profit, RebuyInterval = rebuy, FeeRate = fee };
        if (Values(cl, "chunks", 0).Any(c => c % 1 != 0))
        {
            throw new UsageException($"--chunks '{cl.String("chunks")}' must be whole numbers.");
        }

        var all = grid.ToList();
        foreach (var settings in all)
        {
            var errors = settings.FindErrors();
            if (errors.Count > 0)
            {
                throw new UsageException(string.Join(" ", errors));
            }
        }

        return all;
    }

    private static IReadOnlyList<decimal> Values(CommandLine cl, string name, decimal fallback)
    {
        var text = cl.String(name);
        if (text is null)
        {
            return [fallback];
        }

        var range = text.Split(':');
        if (range.Length == 3)
        {
            var (start, stop, step) = (Number(range[0]), Number(range[1]), Number(range[2]));
            if (step <= 0 || stop < start)
            {
                throw new UsageException($"--{name} range '{text}' needs start <= stop and a step > 0.");
            }

            var values = new List<decimal>();
            for (var v = start; v <= stop; v += step)
            {
                values.Add(v);
                if (values.Count > 1000)
                {
                    throw new UsageException($"--{name} range '{text}' has more than 1000 values.");
                }
            }

            return values;
        }

        if (range.Length != 1)
        {
            throw new UsageException($"--{name} '{text}' must be a value, a list a,b,c or a range start:stop:step.");
        }

        return text.Split(',').Select(Number).ToArray();

        decimal Number(string part) =>
            decimal.TryParse(part, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new UsageException($"--{name} '{part}' is not a number (use '.' as the decimal separator).");
    }
}

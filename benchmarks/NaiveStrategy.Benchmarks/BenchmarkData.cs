using NaiveStrategy.Backtesting.Catalog;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Benchmarks;

/// <summary>Generated trade files shared by the benchmarks, cached in the temp directory by size.</summary>
internal static class BenchmarkData
{
    /// <summary>The catalog imported from <see cref="File"/> (<c>catalog import</c>), beside it.</summary>
    public static string Catalog(int trades)
    {
        var csv = File(trades);
        var root = Path.Combine(Path.GetDirectoryName(csv)!, "catalog");
        if (!Directory.Exists(root))
        {
            var temp = root + ".tmp";
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            TradeCatalog.ImportAsync([csv], temp).GetAwaiter().GetResult();
            Directory.Move(temp, root);
        }

        return root;
    }

    /// <summary>The file <c>naive generate --count N</c> writes (the generator's defaults: seed 42, no drift), once.</summary>
    public static string Generated(int trades)
    {
        var path = Path.Combine(Path.GetTempPath(), $"naive-bench-generated-{trades}", "XRPUSDT-trades-2024-01-01.csv");
        if (!System.IO.File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".tmp";
            using (var writer = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(false), 1 << 20))
            {
                TradeFileGenerator.Write(writer, new TradeFileGeneratorOptions { Count = trades });
            }

            System.IO.File.Move(temp, path);
        }

        return path;
    }

    public static string File(int trades)
    {
        var path = Path.Combine(Path.GetTempPath(), $"naive-bench-{trades}", "XRPUSDT-trades-2024-01-01.csv");
        if (System.IO.File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(false), 1 << 20))
        {
            var options = new TradeFileGeneratorOptions { Count = trades, Seed = 1, Volatility = 0.0002, MeanInterval = TimeSpan.FromMilliseconds(100) };
            options.Drifts.Add(-0.000002);
            options.Drifts.Add(0.000002);
            TradeFileGenerator.Write(writer, options);
        }

        System.IO.File.Move(temp, path);
        return path;
    }
}

using System.Globalization;
using NaiveStrategy.Backtesting.Catalog;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Cli;

/// <summary>The data commands: <c>download</c> (Binance's public files) and <c>catalog import</c> (a Parquet catalog).</summary>
internal static class DataCommands
{
    /// <summary>Binance's public data site.</summary>
    public const string DefaultBaseUrl = "https://data.binance.vision/";

    /// <summary><c>--from</c> / <c>--to</c> as UTC days (YYYY-MM-DD), either one optional; from after to is refused.</summary>
    public static (DateOnly? From, DateOnly? To) Days(CommandLine cl)
    {
        var from = Day(cl, "from");
        var to = Day(cl, "to");
        return from > to ? throw new UsageException($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}.") : (from, to);
    }

    /// <summary><c>--kind</c>: <c>trades</c> or <c>aggTrades</c>.</summary>
    public static TradeFileKind ParseKind(string text) => text switch
    {
        "trades" => TradeFileKind.Trades,
        "aggTrades" => TradeFileKind.AggTrades,
        _ => throw new UsageException($"--kind: '{text}' is not trades or aggTrades."),
    };

    /// <summary><c>--compression</c>: <c>none</c>, <c>snappy</c> or <c>zstd</c>.</summary>
    public static TradeCatalogCompression ParseCompression(string text) => text switch
    {
        "none" => TradeCatalogCompression.None,
        "snappy" => TradeCatalogCompression.Snappy,
        "zstd" => TradeCatalogCompression.Zstd,
        _ => throw new UsageException($"--compression: '{text}' is not none, snappy or zstd."),
    };

    /// <summary>The name of a kind as Binance spells it in file names.</summary>
    public static string KindName(TradeFileKind kind) => kind == TradeFileKind.AggTrades ? "aggTrades" : "trades";

    /// <summary>A file's name in reports: a catalog part is named by its kind, symbol and day (<c>trades/symbol=XRPUSDT/date=2024-01-01</c>).</summary>
    public static string FileName(string path) =>
        path.EndsWith(TradeCatalog.PartExtension, StringComparison.Ordinal) && Path.GetDirectoryName(path) is { } day && Path.GetDirectoryName(day) is { } symbol && Path.GetDirectoryName(symbol) is { } kind
            ? $"{Path.GetFileName(kind)}/{Path.GetFileName(symbol)}/{Path.GetFileName(day)}"
            : Path.GetFileName(path);

    public static async Task<int> CatalogAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args is not ["import", .. var rest])
        {
            throw args is ["--help" or "-h" or "-?"]
                ? new HelpRequestedException($"catalog import --trades PATH --out DIR [--symbol S] [--from DATE] [--to DATE] [--compression none|snappy|zstd] [--skip-bad-lines]{Environment.NewLine}  {OptionHelp.DescribeCommand("catalog")}{Environment.NewLine}  (catalog import --help lists the options)")
                : new UsageException("catalog needs a subcommand: catalog import --trades PATH --out DIR.");
        }

        var cl = new CommandLine("catalog", rest, fromConfiguration: false);
        var paths = cl.Strings("trades") is { Count: > 0 } given ? given : throw new UsageException("catalog import needs --trades PATH (files, a directory or a glob).");
        var root = cl.String("out") ?? throw new UsageException("catalog import needs --out DIR.");
        var (from, to) = Days(cl);
        var compression = cl.String("compression") is { } compressionText ? ParseCompression(compressionText) : TradeCatalogCompression.None;
        TradeCatalogImport result;
        try
        {
            result = await TradeCatalog.ImportAsync(paths, root, new TradeFileReaderOptions { Symbol = cl.String("symbol")?.ToUpperInvariant(), SkipBadLines = cl.Has("skip-bad-lines"), From = from, To = to }, compression, cancellationToken);
        }
        catch (FileNotFoundException ex)
        {
            throw new UsageException($"--trades: {ex.Message}");
        }

        if (result.SkippedSummary is { } skipped)
        {
            output.WriteLine(skipped);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"imported {result.Trades:N0} trades from {result.FilesRead} files into {result.Parts.Count} days in {root}"));
        return 0;
    }

    public static async Task<int> DownloadAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var cl = new CommandLine("download", args, fromConfiguration: false);
        var symbols = (cl.String("symbol") ?? throw new UsageException("download needs --symbol S[,S…] (e.g. XRPUSDT,BTCUSDT)."))
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        foreach (var symbol in symbols.Where(s => s.Length > 20 || !s.All(char.IsAsciiLetterOrDigit)))
        {
            throw new UsageException($"--symbol: '{symbol}' is not a symbol (letters and digits, e.g. XRPUSDT).");
        }

        var (from, to) = Days(cl);
        if (from is null || to is null)
        {
            throw new UsageException("download needs --from DATE and --to DATE (YYYY-MM-DD).");
        }

        var kind = cl.String("kind") is { } kindText ? ParseKind(kindText) : TradeFileKind.Trades;
        var baseUrl = cl.String("base-url") ?? DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--base-url: '{baseUrl}' is not an http(s) URL.");
        }

        var options = new PublicDataDownloadOptions
        {
            Symbols = symbols,
            From = from.Value,
            To = to.Value,
            Kind = kind,
            OutDirectory = cl.String("out") ?? "data",
            BaseUri = baseUri,
            Parallel = (int)cl.Whole("parallel", 4, 1, 16),
        };
        var summary = await PublicDataDownload.RunAsync(options, error, TimeProvider.System, cancellationToken);
        output.WriteLine(summary.Line);
        return summary.Failed == 0 ? 0 : 1;
    }

    private static DateOnly? Day(CommandLine cl, string name) =>
        cl.String(name) is not { } text ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new UsageException($"--{name}: '{text}' is not a date (YYYY-MM-DD).");
}

using System.Collections;
using System.IO.Compression;
using System.Text.RegularExpressions;
using NaiveStrategy.Backtesting.Catalog;

namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>
/// Reads Binance public-data spot trades files (<c>.csv</c> or <c>.zip</c>; milliseconds or, from
/// 2025, microseconds) and the book's <c>;</c>-separated export, from files, directories or globs.
/// Files of one symbol are replayed in file-name (date) order; several symbols are merged by trade time
/// (ties: symbol, then trade id). Streaming, constant memory, no allocation per trade.
/// </summary>
/// <remarks>
/// Every line is checked and a bad one throws <see cref="TradeFileFormatException"/> naming the file and
/// line (or, with <see cref="TradeFileReaderOptions.SkipBadLines"/>, is counted by reason in
/// <see cref="TradeFileDiagnostics"/>): price and quantity &gt; 0 and below 1e14 (so a notional fits in a
/// decimal); time a whole number of milliseconds or microseconds up to 9999-12-31, in one unit per file and
/// never going back; trade ids increasing (a repeat is reported as a duplicate); at most 7 columns; lines of
/// at most 1024 bytes. Whole-file problems are never skipped: a file without trades (empty, blank lines or
/// only a header), a damaged zip archive, a ';' header without the needed columns.
/// </remarks>
public static partial class TradeFileReader
{
    /// <summary>Opens files, directories (their .csv and .zip files) or globs such as <c>data/XRPUSDT-trades-2024-*.zip</c>.</summary>
    /// <exception cref="FileNotFoundException">A path matches no file.</exception>
    public static TradeFileSet Open(IEnumerable<string> paths, TradeFileReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new TradeFileReaderOptions();
        var files = Resolve(paths);
        var sources = files
            .Where(f => InRange(f, options))
            .Select(f => new Source(f, options.Symbol ?? SymbolFromFileName(f) ?? PeekBookSymbol(f, options), KindFromFileName(f)))
            .GroupBy(s => s.Symbol, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(s => Path.GetFileName(s.Path), StringComparer.Ordinal).ToArray())
            .ToArray();
        return new TradeFileSet(sources, options);
    }

    /// <summary>Reads one CSV stream (tests, custom sources).</summary>
    public static IEnumerable<TradeEvent> ReadStream(Stream stream, string name, string? symbol, TradeFileReaderOptions? options = null, TradeFileDiagnostics? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new TradeCsvStream(stream, name, symbol, options ?? new TradeFileReaderOptions(), diagnostics ?? new TradeFileDiagnostics(), KindFromFileName(name) == TradeFileKind.AggTrades);
        using (reader)
        {
            while (reader.TryRead(out var trade))
            {
                yield return trade;
            }
        }
    }

    /// <summary>The symbol in a public-data file name (<c>XRPUSDT-trades-2024-01-01.zip</c>, <c>XRPUSDT-aggTrades-2024-01.zip</c> → XRPUSDT) or a catalog path (<c>…/symbol=XRPUSDT/…</c>), or null.</summary>
    public static string? SymbolFromFileName(string path)
    {
        if (TradeCatalog.PartOf(path) is { } part)
        {
            return part.Symbol;
        }

        var match = FileNamePattern().Match(Path.GetFileName(path));
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>What a file holds by its name: aggregate trades for <c>SYMBOL-aggTrades-…</c> (and catalog parts under <c>aggTrades/</c>), else trades.</summary>
    public static TradeFileKind KindFromFileName(string path)
    {
        if (TradeCatalog.PartOf(path) is { } part)
        {
            return part.Kind;
        }

        var match = FileNamePattern().Match(Path.GetFileName(path));
        return match.Success && match.Groups[2].Value.Equals("aggTrades", StringComparison.OrdinalIgnoreCase) ? TradeFileKind.AggTrades : TradeFileKind.Trades;
    }

    // --from/--to: a daily or monthly file (or a catalog day) outside the range is not opened at all; trades
    // of the files kept are filtered by time as they are read.
    private static bool InRange(string path, TradeFileReaderOptions options)
    {
        if (options.From is null && options.To is null)
        {
            return true;
        }

        DateOnly first, last;
        if (TradeCatalog.PartOf(path) is { } part)
        {
            (first, last) = (part.Day, part.Day);
        }
        else if (FileNamePattern().Match(Path.GetFileName(path)) is { Success: true } match)
        {
            var date = match.Groups[3].Value;
            if (date.Length == 10)
            {
                first = last = DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                first = DateOnly.ParseExact(date + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                last = first.AddMonths(1).AddDays(-1);
            }
        }
        else
        {
            return true;
        }

        return (options.From is not { } from || last >= from) && (options.To is not { } to || first <= to);
    }

    internal static IEnumerable<TradeEvent> ReadFile(string path, string symbol, TradeFileReaderOptions options, TradeFileDiagnostics diagnostics)
    {
        using var files = new FileSequence([new Source(path, symbol, KindFromFileName(path))], options, diagnostics);
        while (files.MoveNext())
        {
            yield return files.Current;
        }
    }

    internal static ZipArchiveEntry[] CsvEntries(ZipArchive zip, string path)
    {
        ZipArchiveEntry[] entries;
        try
        {
            // The central directory is read lazily, on the first access to Entries.
            entries = zip.Entries.Where(e => e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.FullName, StringComparer.Ordinal).ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw Damaged(path, ex);
        }

        return entries.Length > 0 ? entries : throw new TradeFileFormatException(path, 0, "the archive holds no .csv file", "no csv in archive");
    }

    internal static ZipArchive OpenZip(string path)
    {
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException ex)
        {
            throw Damaged(path, ex);
        }
    }

    internal static Stream OpenEntry(ZipArchiveEntry entry, string path)
    {
        try
        {
            return entry.Open();
        }
        catch (InvalidDataException ex)
        {
            throw Damaged(path, ex);
        }
    }

    internal static TradeFileFormatException Damaged(string path, InvalidDataException ex) =>
        new(path, 0, $"the zip archive is damaged ({ex.Message.TrimEnd('.')})", "damaged zip");

    private static string PeekBookSymbol(string path, TradeFileReaderOptions options)
    {
        var peek = new TradeFileReaderOptions { SkipBadLines = options.SkipBadLines, MaxMessages = 0 };
        foreach (var trade in ReadFile(path, null!, peek, new TradeFileDiagnostics()))
        {
            return trade.Symbol;
        }

        throw new TradeFileFormatException(path, 0, "cannot tell the symbol: name the file SYMBOL-trades-YYYY-MM-DD.csv, give the symbol, or use the book's format with a symbol column", "symbol unknown");
    }

    private static List<string> Resolve(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path) && TradeCatalog.IsCatalog(path))
            {
                files.AddRange(TradeCatalog.Parts(path));
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path).Where(IsTradeFile).Order(StringComparer.Ordinal));
            }
            else if (path.IndexOfAny(['*', '?']) >= 0)
            {
                var directory = Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".";
                var matches = Directory.Exists(directory) ? Directory.EnumerateFiles(directory, Path.GetFileName(path)).Order(StringComparer.Ordinal).ToList() : [];
                files.AddRange(matches.Count > 0 ? matches : throw new FileNotFoundException($"'{path}' matches no file.", path));
            }
            else
            {
                files.Add(File.Exists(path) ? path : throw new FileNotFoundException($"Trades file '{path}' does not exist.", path));
            }
        }

        return files.Count > 0 ? files.Distinct(StringComparer.Ordinal).ToList() : throw new FileNotFoundException("No trades file was given.");
    }

    // A recording's gap sidecar (SYMBOL-gaps.csv) sits beside its trade files and holds no trades.
    private static bool IsTradeFile(string path) =>
        (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(Recording.TradeRecorder.GapsSuffix, StringComparison.OrdinalIgnoreCase))
        || path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^([A-Z0-9]+)-(trades|aggTrades)-(\d{4}-\d{2}(?:-\d{2})?)\.(csv|zip)$", RegexOptions.IgnoreCase)]
    private static partial Regex FileNamePattern();

    internal sealed record Source(string Path, string Symbol, TradeFileKind Kind);
}

using System.Collections;
using System.IO.Compression;
using System.Text.RegularExpressions;
using NaiveStrategy.Backtesting.Catalog;

namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>The trades of a set of files, replayed in time order; enumerate it once or several times.</summary>
public sealed class TradeFileSet : IEnumerable<TradeEvent>
{
    private readonly TradeFileReader.Source[][] _bySymbol;
    private readonly TradeFileReaderOptions _options;

    internal TradeFileSet(TradeFileReader.Source[][] bySymbol, TradeFileReaderOptions options)
    {
        _bySymbol = bySymbol;
        _options = options;
        Symbols = bySymbol.Select(s => s[0].Symbol).ToArray();
        Files = bySymbol.SelectMany(s => s).Select(s => s.Path).ToArray();
        Kinds = bySymbol.SelectMany(s => s).Select(s => s.Kind).Distinct().Order().ToArray();
        foreach (var files in bySymbol.Where(f => f.Select(s => s.Kind).Distinct().Count() > 1))
        {
            throw new TradeFileFormatException(files[0].Path, 0, $"{files[0].Symbol} has both trades and aggTrades files: give one kind per symbol", "mixed kinds");
        }
        TotalBytes = Files.Sum(UncompressedLength);
    }

    /// <summary>Symbols found, ordered.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>Files that will be read.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>What the files hold (trades, aggregate trades), each once, in enum order.</summary>
    public IReadOnlyList<TradeFileKind> Kinds { get; }

    /// <summary>The files of each symbol, in replay order (the catalog importer reads them symbol by symbol).</summary>
    internal IReadOnlyList<TradeFileReader.Source[]> BySymbol => _bySymbol;

    /// <summary>Total bytes of trade data (uncompressed), for progress against <see cref="TradeFileDiagnostics.BytesRead"/>.</summary>
    public long TotalBytes { get; }

    /// <summary>Bytes read and bad lines skipped by the latest enumeration.</summary>
    public TradeFileDiagnostics Diagnostics { get; private set; } = new();

    /// <inheritdoc />
    public IEnumerator<TradeEvent> GetEnumerator()
    {
        Diagnostics = new TradeFileDiagnostics();
        var streams = _bySymbol.Select(files => new FileSequence(files, _options, Diagnostics)).ToArray();
        return streams.Length == 1 ? streams[0] : Merge(streams);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // One symbol's catalog parts only, read as raw columns (TradePipe.RunIndexed); null for anything else (trade files,
    // several symbols to merge by time, a build without the catalog reader).
    internal CatalogColumnSequence? ReadColumns()
    {
        if (_bySymbol.Length != 1 || !CatalogFeature.IsSupported || !_bySymbol[0].All(f => f.Path.EndsWith(TradeCatalog.PartExtension, StringComparison.Ordinal)))
        {
            return null;
        }

        Diagnostics = new TradeFileDiagnostics();
        return new CatalogColumnSequence(_bySymbol[0], _options, Diagnostics);
    }

    // k-way merge by (time, symbol, trade id): deterministic on ties.
    private static IEnumerator<TradeEvent> Merge(FileSequence[] enumerators)
    {
        try
        {
            var queue = new PriorityQueue<int, TradeEvent>(enumerators.Length, TradeOrder.Instance);
            for (var i = 0; i < enumerators.Length; i++)
            {
                if (enumerators[i].MoveNext())
                {
                    queue.Enqueue(i, enumerators[i].Current);
                }
            }

            while (queue.TryDequeue(out var index, out var trade))
            {
                yield return trade;
                if (enumerators[index].MoveNext())
                {
                    queue.Enqueue(index, enumerators[index].Current);
                }
            }
        }
        finally
        {
            foreach (var e in enumerators)
            {
                e.Dispose();
            }
        }
    }

    private static long UncompressedLength(string path)
    {
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || path.EndsWith(TradeCatalog.PartExtension, StringComparison.Ordinal))
        {
            return new FileInfo(path).Length;
        }

        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.Entries.Sum(e => e.Length);
        }
        catch (InvalidDataException)
        {
            return new FileInfo(path).Length; // the read will report it with the file name
        }
    }

    private sealed class TradeOrder : IComparer<TradeEvent>
    {
        public static readonly TradeOrder Instance = new();

        public int Compare(TradeEvent x, TradeEvent y)
        {
            var c = x.Time.UtcTicks.CompareTo(y.Time.UtcTicks);
            if (c == 0)
            {
                c = string.CompareOrdinal(x.Symbol, y.Symbol);
            }

            return c != 0 ? c : x.TradeId.CompareTo(y.TradeId);
        }
    }
}

using System.Collections;
using System.IO.Compression;
using System.Text.RegularExpressions;
using NaiveStrategy.Backtesting.Catalog;

namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>The trades of files read one after another (zip entries in name order): one enumerator, no nested iterators.</summary>
internal sealed class FileSequence(TradeFileReader.Source[] files, TradeFileReaderOptions options, TradeFileDiagnostics diagnostics) : IEnumerator<TradeEvent>
{
    private int _file = -1;
    private ZipArchive? _zip;
    private ZipArchiveEntry[] _entries = [];
    private int _entry;
    private ITradeStream? _stream;
    private TradeEvent _current;
    private readonly long _fromTicks = options.FromTicks;
    private readonly long _toTicks = options.ToTicks;

    public TradeEvent Current => _current;

    object IEnumerator.Current => _current;

    public bool MoveNext()
    {
        while (true)
        {
            while (_stream is not null && _stream.TryRead(out _current))
            {
                var ticks = _current.Time.UtcTicks;
                if (ticks >= _fromTicks && ticks < _toTicks)
                {
                    return true;
                }
            }

            _stream?.Dispose();
            _stream = null;
            if (!OpenNext())
            {
                return false;
            }
        }
    }

    public void Reset() => throw new NotSupportedException("Enumerate the TradeFileSet again instead.");

    public void Dispose()
    {
        _stream?.Dispose();
        _zip?.Dispose();
        _stream = null;
        _zip = null;
    }

    private bool OpenNext()
    {
        if (_zip is not null && _entry < _entries.Length)
        {
            var entry = _entries[_entry++];
            var name = $"{files[_file].Path}!{entry.FullName}";
            _stream = new TradeCsvStream(TradeFileReader.OpenEntry(entry, name), name, files[_file].Symbol, options, diagnostics, files[_file].Kind == TradeFileKind.AggTrades);
            return true;
        }

        _zip?.Dispose();
        _zip = null;
        if (++_file >= files.Length)
        {
            return false;
        }

        var (path, symbol) = (files[_file].Path, files[_file].Symbol);
        if (path.EndsWith(TradeCatalog.PartExtension, StringComparison.Ordinal))
        {
            _stream = CatalogFeature.IsSupported
                ? new CatalogTradeStream(path, symbol, diagnostics)
                : throw new TradeFileFormatException(path, 0, "this build reads no catalog (native builds leave the Parquet reader out): give the trade files instead", "catalog not supported");
            return true;
        }

        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            _zip = TradeFileReader.OpenZip(path);
            _entries = TradeFileReader.CsvEntries(_zip, path);
            _entry = 0;
            return OpenNext();
        }

        _stream = new TradeCsvStream(File.OpenRead(path), path, symbol, options, diagnostics, files[_file].Kind == TradeFileKind.AggTrades);
        return true;
    }
}

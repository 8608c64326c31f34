using NaiveStrategy.Backtesting.PublicData;
using Parquet;
using Parquet.Schema;

namespace NaiveStrategy.Backtesting.Catalog;

/// <summary>
/// Reads one catalog part (one symbol's day) row group by row group: each column is decoded into a pooled
/// buffer of its raw scaled integers (no decimal or DateTime conversion inside the Parquet library), and a
/// trade is built from them on demand. Memory is one row group's columns, whatever the file's length.
/// </summary>
internal sealed class CatalogTradeStream : ITradeStream
{
    private readonly string _path;
    private readonly string _symbol;
    private readonly TradeFileDiagnostics _diagnostics;
    private readonly FileStream _file;
    private readonly ParquetReader _reader;
    private readonly ParquetSchema _raw;
    private readonly int _priceScale;
    private readonly int _quantityScale;
    private readonly long _fileLength;
    private readonly long _rows;
    private readonly TradeColumns _columns = new();
    private int _group = -1;
    private int _index;

    // Prices repeat from trade to trade: the last one's decimal is reused rather than rebuilt.
    private long _lastPriceMantissa = -1;
    private decimal _lastPrice;

    public CatalogTradeStream(string path, string symbol, TradeFileDiagnostics diagnostics)
    {
        _path = path;
        _symbol = symbol;
        _diagnostics = diagnostics;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        _fileLength = _file.Length;
        try
        {
            _reader = ParquetReader.CreateAsync(_file, leaveStreamOpen: true).GetAwaiter().GetResult();
            (_priceScale, _quantityScale) = TradeCatalog.Scales(_reader.Schema, path);
            _rows = _reader.RowGroups.Sum(g => g.RowCount);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            _file.Dispose();
            throw new TradeFileFormatException(path, 0, $"not a trade catalog part ({ex.Message.TrimEnd('.')})", "bad catalog part");
        }

        // The raw view: the same columns as plain INT64 / BOOLEAN, so values arrive as the scaled integers stored.
        _raw = new ParquetSchema(
            new DataField<long>(TradeCatalog.IdColumn),
            new DataField<long>(TradeCatalog.PriceColumn),
            new DataField<long>(TradeCatalog.QuantityColumn),
            new DataField<long>(TradeCatalog.TimeColumn),
            new DataField<bool>(TradeCatalog.MakerColumn));
    }

    public bool TryRead(out TradeEvent trade)
    {
        while (_index >= _columns.Count)
        {
            if (!TryReadGroup(_columns))
            {
                trade = default;
                return false;
            }

            _index = 0;
        }

        var i = _index++;
        var priceMantissa = _columns.Prices[i];
        if (priceMantissa != _lastPriceMantissa)
        {
            _lastPrice = _columns.Price(i);
            _lastPriceMantissa = priceMantissa;
        }

        trade = _columns.At(i, _lastPrice);
        return true;
    }

    public void Dispose()
    {
        _columns.Dispose();
        _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _file.Dispose();
    }

    /// <summary>Reads the next row group into <paramref name="columns"/> (its symbol and scales set); false after the last.</summary>
    /// <exception cref="TradeFileFormatException">The part is damaged.</exception>
    public bool TryReadGroup(TradeColumns columns)
    {
        if (++_group >= _reader.RowGroupCount)
        {
            return false;
        }

        try
        {
            using var group = _reader.OpenRowGroupReader(_group);
            var rows = checked((int)group.RowCount);
            columns.Ensure(rows);
            var fields = _raw.DataFields;
            group.ReadRawAsync<long>(fields[0], columns.Ids.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
            group.ReadRawAsync<long>(fields[1], columns.Prices.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
            group.ReadRawAsync<long>(fields[2], columns.Quantities.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
            group.ReadRawAsync<long>(fields[3], columns.Times.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
            group.ReadRawAsync<bool>(fields[4], columns.Makers.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
            (columns.Symbol, columns.PriceScale, columns.QuantityScale, columns.Count) = (_symbol, _priceScale, _quantityScale, rows);
            _diagnostics.AddBytes(_rows == 0 ? 0 : _fileLength * rows / _rows);
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new TradeFileFormatException(_path, 0, $"the catalog part is damaged ({ex.Message.TrimEnd('.')})", "bad catalog part");
        }
    }
}

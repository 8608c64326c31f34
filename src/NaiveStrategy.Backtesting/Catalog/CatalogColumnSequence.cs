using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Backtesting.Catalog;

/// <summary>
/// One symbol's catalog parts, read one after another as row groups of raw columns (<see cref="TradeColumns"/>) for
/// an index built on them (<see cref="TradePipe.RunIndexed"/>): the same trades, in the same order, as the trade
/// reader gives, <c>--from</c>/<c>--to</c> applied to each row.
/// </summary>
internal sealed class CatalogColumnSequence(TradeFileReader.Source[] parts, TradeFileReaderOptions options, TradeFileDiagnostics diagnostics) : IDisposable
{
    private readonly long _fromTicks = options.FromTicks;
    private readonly long _toTicks = options.ToTicks;
    private int _part = -1;
    private CatalogTradeStream? _stream;

    /// <summary>Reads the next row group with trades in the range into <paramref name="columns"/>; false after the last.</summary>
    /// <exception cref="TradeFileFormatException">A part is damaged.</exception>
    public bool Next(TradeColumns columns)
    {
        while (true)
        {
            if (_stream is not null && _stream.TryReadGroup(columns))
            {
                if (_fromTicks != long.MinValue || _toTicks != long.MaxValue)
                {
                    columns.Keep(_fromTicks, _toTicks);
                }

                if (columns.Count > 0)
                {
                    return true;
                }

                continue;
            }

            _stream?.Dispose();
            _stream = null;
            if (++_part >= parts.Length)
            {
                return false;
            }

            _stream = new CatalogTradeStream(parts[_part].Path, parts[_part].Symbol, diagnostics);
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }
}

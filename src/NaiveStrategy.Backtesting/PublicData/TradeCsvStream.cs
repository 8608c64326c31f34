using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>
/// Reads trades from one CSV stream, straight from UTF-8 bytes: no string per line or field, one
/// reused buffer. Binance public-data lines (<c>id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch</c>, or for
/// aggTrades files <c>agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match</c>;
/// optional header, optional UTF-8 BOM) or the book's <c>;</c>-separated export with a header row.
/// Every line is checked (see <see cref="TradeFileReader"/>): positive prices and quantities below
/// <see cref="MaxAmount"/>, times in range, in one unit and never going back, ids increasing, lines
/// no longer than <see cref="MaxLineLength"/>; a file without any trade is an error.
/// </summary>
internal sealed partial class TradeCsvStream : ITradeStream
{
    /// <summary>
    /// Longest line accepted, in bytes. Binance lines are ~70 bytes and the book's ~200: anything longer
    /// is junk, reported without buffering it (the read buffer never grows past 64 KB).
    /// </summary>
    internal const int MaxLineLength = 1024;

    /// <summary>
    /// Prices and quantities must be below 1e14 (at most 14 digits before the point). A product of two
    /// such values (a notional) stays below 1e28, inside decimal's ~7.9e28, so the exchange's and the
    /// trader's arithmetic cannot overflow on one trade's values; real Binance prices (≤ ~1e5) and
    /// quantities (≤ ~1e11) are far below.
    /// </summary>
    internal const decimal MaxAmount = 100_000_000_000_000m;

    private const long MicrosecondsThreshold = 100_000_000_000_000; // 1e14: ms until year 5138, µs since 1973

    // The last microsecond a DateTimeOffset can hold (9999-12-31): later times cannot be converted.
    private static readonly long MaxMicroseconds = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    // 10^(14 + scale) for scales 0..4: a plain decimal with mantissa m and scale s is >= MaxAmount iff
    // m >= 10^(14 + s); from scale 5 on, no 19-digit mantissa reaches it.
    private static readonly ulong[] AmountLimits = [100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000];

    private readonly Stream _stream;
    private readonly string _path;
    private readonly string? _symbol;
    private readonly TradeFileReaderOptions _options;
    private readonly TradeFileDiagnostics _diagnostics;
    private readonly bool _aggregate;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private long _line;
    private BookColumns? _book;
    private string? _lastBookSymbol;
    private long _dataLines;
    private bool _headerSeen;
    private bool _blankSeen;

    // The last accepted trade: times must not go back, ids must increase, the time unit must not change.
    private long _lastId = -1;
    private long _lastIdLine;
    private long _lastTicks = long.MinValue;
    private long _lastTimeValue;
    private long _lastTimeLine;
    private bool _microseconds;

    public TradeCsvStream(Stream stream, string path, string? symbol, TradeFileReaderOptions options, TradeFileDiagnostics diagnostics, bool aggregate = false)
    {
        _aggregate = aggregate;
        _stream = stream;
        _path = path;
        _symbol = symbol;
        _options = options;
        _diagnostics = diagnostics;
    }

    public bool TryRead(out TradeEvent trade)
    {
        while (NextLine(out var line, out var tooLong))
        {
            _line++;
            if (tooLong)
            {
                var problem = Bad("line too long", $"the line is longer than {MaxLineLength} bytes (junk after the last column?)");
                if (!_options.SkipBadLines)
                {
                    throw problem;
                }

                SkipRestOfLine();
                _diagnostics.Skip(problem, _options.MaxMessages);
                continue;
            }

            if (_line == 1 && line.StartsWith(Utf8Bom))
            {
                line = line[Utf8Bom.Length..];
            }

            if (line.IsEmpty)
            {
                _blankSeen = true;
                continue;
            }

            if (_line == 1 && IsHeader(line))
            {
                _headerSeen = true;
                continue;
            }

            _dataLines++;
            try
            {
                trade = _book is { } book ? ParseBook(line, book) : ParseBinance(line);
                return true;
            }
            catch (TradeFileFormatException ex) when (_options.SkipBadLines)
            {
                _diagnostics.Skip(ex, _options.MaxMessages);
            }
        }

        if (_dataLines == 0)
        {
            // A file that holds no trade is a mistake (a failed download, the wrong file): say so rather than replay nothing.
            throw new TradeFileFormatException(_path, 0, _headerSeen ? "no trades: the file holds only a header" : _blankSeen ? "no trades: the file holds only blank lines" : "no trades: the file is empty", "no trades in file");
        }

        trade = default;
        return false;
    }

    public void Dispose() => _stream.Dispose();

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private bool IsHeader(ReadOnlySpan<byte> line)
    {
        if (!char.IsAsciiLetter((char)line[0]))
        {
            return false;
        }

        if (line.IndexOf((byte)';') >= 0)
        {
            _book = BookColumns.From(System.Text.Encoding.UTF8.GetString(line), _path);
        }

        return true;
    }

    private TradeEvent ParseBinance(ReadOnlySpan<byte> line)
    {
        if (_aggregate)
        {
            return ParseAggregate(line);
        }

        var rest = line;
        var id = Long(Next(ref rest, "id"), "id");
        var price = Amount(Next(ref rest, "price"), "price");
        var quantity = Amount(Next(ref rest, "qty"), "qty");
        Next(ref rest, "quoteQty");
        var time = Long(Next(ref rest, "time"), "time");
        var buyerMaker = Bool(Next(ref rest, "isBuyerMaker"), "isBuyerMaker");
        if (!rest.IsEmpty)
        {
            // isBestMatch is not used, but checking it catches junk or extra columns after the last one.
            Bool(rest, "isBestMatch");
        }

        var symbol = _symbol ?? throw Bad("symbol unknown", "the symbol is unknown: name the file SYMBOL-trades-YYYY-MM-DD.csv or give the symbol");
        return new TradeEvent(symbol, id, price, quantity, Accept(id, time), buyerMaker);
    }

    // An aggregate trade: its own id, the price, the summed quantity, the range of trades it sums, the time of
    // the last of them and the maker flag; the trade-id range is checked (first <= last) but not replayed.
    private TradeEvent ParseAggregate(ReadOnlySpan<byte> line)
    {
        var rest = line;
        var id = Long(Next(ref rest, "agg_trade_id"), "agg_trade_id");
        var price = Amount(Next(ref rest, "price"), "price");
        var quantity = Amount(Next(ref rest, "quantity"), "quantity");
        var first = Long(Next(ref rest, "first_trade_id"), "first_trade_id");
        var last = Long(Next(ref rest, "last_trade_id"), "last_trade_id");
        var time = Long(Next(ref rest, "transact_time"), "transact_time");
        var buyerMaker = Bool(Next(ref rest, "is_buyer_maker"), "is_buyer_maker");
        if (!rest.IsEmpty)
        {
            Bool(rest, "is_best_match");
        }

        if (last < first)
        {
            throw BadRange(first, last);
        }

        var symbol = _symbol ?? throw Bad("symbol unknown", "the symbol is unknown: name the file SYMBOL-aggTrades-YYYY-MM-DD.csv or give the symbol");
        return new TradeEvent(symbol, id, price, quantity, Accept(id, time), buyerMaker);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TradeFileFormatException BadRange(long first, long last) =>
        Bad("trade range reversed", $"last_trade_id {last} is below first_trade_id {first}");

    // Messages are built in separate methods: string interpolation in the hot methods would make each
    // call zero a large handler struct on the stack (measured: +25 % on the parse).

    private TradeEvent ParseBook(ReadOnlySpan<byte> line, BookColumns book)
    {
        Span<Range> ranges = stackalloc Range[32];
        var count = Split(line, ranges, (byte)';');
        if (count < book.Required || count > book.Count)
        {
            throw Bad(count < book.Required ? "too few columns" : "too many columns", $"expected {book.Count} ';'-separated columns, found {count}");
        }

        var symbolBytes = line[ranges[book.Symbol]];
        var symbol = _symbol ?? BookSymbol(symbolBytes);
        var id = Long(line[ranges[book.TradeId]], "trade_id");
        var price = Amount(line[ranges[book.Price]], "price");
        var quantity = Amount(line[ranges[book.Quantity]], "quantity");
        var time = Long(line[ranges[book.TradeTime]], "trade_time");
        var buyerMaker = book.BuyerMaker >= 0 && Bool(line[ranges[book.BuyerMaker]], "buyer_market_maker");
        return new TradeEvent(symbol, id, price, quantity, Accept(id, time), buyerMaker);
    }

    // Checks the line against the previous accepted one, then makes it the previous one: a line that
    // fails here (or earlier) leaves the state as it was, so --skip-bad-lines compares with the last good line.
    private DateTimeOffset Accept(long id, long time)
    {
        var microseconds = time >= MicrosecondsThreshold;
        if ((microseconds && time > MaxMicroseconds) || (_lastTimeLine > 0 && microseconds != _microseconds))
        {
            throw BadTime(time, microseconds);
        }

        // Binance switched the files from milliseconds to microseconds on 2025-01-01; the magnitude tells which.
        // Both products fit in a long: ms < 1e14 → < 1e18 ticks; µs <= MaxMicroseconds → < 2.6e18 ticks.
        var ticks = microseconds ? time * 10 : time * TimeSpan.TicksPerMillisecond;
        if (ticks < _lastTicks)
        {
            throw Backwards(time);
        }

        if (id <= _lastId)
        {
            throw BadId(id);
        }

        _lastId = id;
        _lastIdLine = _line;
        _lastTicks = ticks;
        _lastTimeValue = time;
        _lastTimeLine = _line;
        _microseconds = microseconds;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TradeFileFormatException BadTime(long time, bool microseconds) =>
        microseconds && time > MaxMicroseconds
            ? Bad("time out of range", $"time {time} is out of range (after 9999-12-31)")
            : Bad("mixed time units", $"time {time} is in {Unit(microseconds)} but line {_lastTimeLine}'s {_lastTimeValue} is in {Unit(_microseconds)}: one file must not mix units");

    private static string Unit(bool microseconds) => microseconds ? "microseconds" : "milliseconds";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TradeFileFormatException Backwards(long time) =>
        Bad("time going backwards", $"time {time} is before line {_lastTimeLine}'s {_lastTimeValue}: trades must be in time order");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TradeFileFormatException BadId(long id) =>
        id == _lastId
            ? Bad("duplicate id", $"duplicate trade id {id} (also on line {_lastIdLine})")
            : Bad("id not increasing", $"trade id {id} is lower than line {_lastIdLine}'s {_lastId}: ids must increase");

    private static int Split(ReadOnlySpan<byte> line, Span<Range> ranges, byte separator)
    {
        var count = 0;
        var start = 0;
        while (count < ranges.Length)
        {
            var next = line[start..].IndexOf(separator);
            if (next < 0)
            {
                ranges[count++] = start..line.Length;
                break;
            }

            ranges[count++] = start..(start + next);
            start += next + 1;
        }

        return count;
    }

    // One string per distinct symbol, not per line.
    private string BookSymbol(ReadOnlySpan<byte> bytes)
    {
        if (_lastBookSymbol is { } last && bytes.Length == last.Length && System.Text.Ascii.Equals(bytes, last))
        {
            return last;
        }

        if (bytes.IsEmpty)
        {
            throw Bad("symbol empty", "symbol is empty");
        }

        if (!System.Text.Ascii.IsValid(bytes))
        {
            throw Bad("symbol not ASCII", $"symbol '{Text(bytes)}' is not ASCII");
        }

        return _lastBookSymbol = System.Text.Encoding.ASCII.GetString(bytes).ToUpperInvariant();
    }

    private ReadOnlySpan<byte> Next(ref ReadOnlySpan<byte> rest, string name)
    {
        if (rest.IsEmpty && name is not ("isBuyerMaker" or "is_buyer_maker"))
        {
            throw Bad("missing column", $"column {name} is missing (expected {Columns})");
        }

        var comma = rest.IndexOf((byte)',');
        ReadOnlySpan<byte> field;
        if (comma < 0)
        {
            field = rest;
            rest = default;
        }
        else
        {
            field = rest[..comma];
            rest = rest[(comma + 1)..];
        }

        return field;
    }

    private string Columns => _aggregate
        ? "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match"
        : "id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch";

    private static string Text(ReadOnlySpan<byte> field) => System.Text.Encoding.UTF8.GetString(field.Length > 40 ? field[..40] : field);

    private TradeFileFormatException Bad(string reason, string problem) => new(_path, _line, problem, reason);

    private sealed record BookColumns(int Count, int Symbol, int TradeId, int Price, int Quantity, int TradeTime, int BuyerMaker)
    {
        public int Required => new[] { Symbol, TradeId, Price, Quantity, TradeTime, BuyerMaker }.Max() + 1;

        public static BookColumns From(string header, string path)
        {
            var names = header.Split(';').Select(n => n.Trim().Trim('"').ToLowerInvariant()).ToList();
            int Find(string name, bool required = true)
            {
                var index = names.IndexOf(name);
                return index >= 0 || !required ? index : throw new TradeFileFormatException(path, 1, $"the ';'-separated header has no '{name}' column", "bad header");
            }

            return new BookColumns(names.Count, Find("symbol"), Find("trade_id"), Find("price"), Find("quantity"), Find("trade_time"), Find("buyer_market_maker", required: false));
        }
    }
}

using System.Buffers.Text;

namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>
/// Reads trades from one CSV stream, straight from UTF-8 bytes: no string per line or field, one
/// reused buffer. Binance public-data lines (<c>id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch</c>,
/// optional header) or the book's <c>;</c>-separated export with a header row.
/// </summary>
internal sealed class TradeCsvStream : IDisposable
{
    private const long MicrosecondsThreshold = 100_000_000_000_000; // 1e14: ms until year 5138, µs since 1973

    private readonly Stream _stream;
    private readonly string _path;
    private readonly string? _symbol;
    private readonly TradeFileReaderOptions _options;
    private readonly TradeFileDiagnostics _diagnostics;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private long _line;
    private BookColumns? _book;
    private string? _lastBookSymbol;

    public TradeCsvStream(Stream stream, string path, string? symbol, TradeFileReaderOptions options, TradeFileDiagnostics diagnostics)
    {
        _stream = stream;
        _path = path;
        _symbol = symbol;
        _options = options;
        _diagnostics = diagnostics;
    }

    public bool TryRead(out TradeEvent trade)
    {
        while (NextLine(out var line))
        {
            _line++;
            if (line.IsEmpty)
            {
                continue;
            }

            if (_line == 1 && IsHeader(line))
            {
                continue;
            }

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

        trade = default;
        return false;
    }

    public void Dispose() => _stream.Dispose();

    private bool NextLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCr(available[..newline]);
                _start += newline + 1;
                return true;
            }

            if (_eof)
            {
                line = TrimCr(available);
                _start = _end;
                return !available.IsEmpty;
            }

            Fill();
        }
    }

    private void Fill()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        else if (pending == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // a line longer than the buffer
        }

        _start = 0;
        _end = pending;
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        _diagnostics.AddBytes(read);
        _end += read;
        _eof = read == 0;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private bool IsHeader(ReadOnlySpan<byte> line)
    {
        if (line.Length > 2 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF)
        {
            line = line[3..];
        }

        if (line.IsEmpty || !char.IsAsciiLetter((char)line[0]))
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
        var rest = line;
        var id = Long(Next(ref rest, "id"), "id");
        var price = Decimal(Next(ref rest, "price"), "price");
        var quantity = Decimal(Next(ref rest, "qty"), "qty");
        Next(ref rest, "quoteQty");
        var time = Long(Next(ref rest, "time"), "time");
        var buyerMaker = Bool(Next(ref rest, "isBuyerMaker"), "isBuyerMaker");
        var symbol = _symbol ?? throw Bad("the symbol is unknown: name the file SYMBOL-trades-YYYY-MM-DD.csv or give the symbol");
        return new TradeEvent(symbol, id, Positive(price, "price"), quantity, Time(time), buyerMaker);
    }

    private TradeEvent ParseBook(ReadOnlySpan<byte> line, BookColumns book)
    {
        Span<Range> ranges = stackalloc Range[32];
        var count = Split(line, ranges, (byte)';');
        if (count < book.Required)
        {
            throw Bad($"expected {book.Count} ';'-separated columns, found {count}");
        }

        var symbolBytes = line[ranges[book.Symbol]];
        var symbol = _symbol ?? BookSymbol(symbolBytes);
        var id = Long(line[ranges[book.TradeId]], "trade_id");
        var price = Decimal(line[ranges[book.Price]], "price");
        var quantity = Decimal(line[ranges[book.Quantity]], "quantity");
        var time = Long(line[ranges[book.TradeTime]], "trade_time");
        var buyerMaker = book.BuyerMaker >= 0 && Bool(line[ranges[book.BuyerMaker]], "buyer_market_maker");
        return new TradeEvent(symbol, id, Positive(price, "price"), quantity, Time(time), buyerMaker);
    }

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
            throw Bad("symbol is empty");
        }

        return _lastBookSymbol = System.Text.Encoding.ASCII.GetString(bytes).ToUpperInvariant();
    }

    private ReadOnlySpan<byte> Next(ref ReadOnlySpan<byte> rest, string name)
    {
        if (rest.IsEmpty && name != "isBuyerMaker")
        {
            throw Bad($"column {name} is missing (expected id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch)");
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

    private long Long(ReadOnlySpan<byte> field, string name)
    {
        // Ids and times are up to 18 plain digits: no overflow possible, no general parser needed.
        if (field.Length is > 0 and <= 18)
        {
            long value = 0;
            foreach (var b in field)
            {
                var d = (uint)(b - '0');
                if (d > 9)
                {
                    throw Bad($"{name} '{Text(field)}' is not an integer");
                }

                value = (value * 10) + d;
            }

            return value;
        }

        return Utf8Parser.TryParse(field, out long parsed, out var consumed) && consumed == field.Length
            ? parsed
            : throw Bad($"{name} '{Text(field)}' is not an integer");
    }

    private decimal Decimal(ReadOnlySpan<byte> field, string name) =>
        TryParsePlainDecimal(field, out var value)
        || (Utf8Parser.TryParse(field, out value, out var consumed) && consumed == field.Length && field.Length > 0)
            ? value
            : throw Bad($"{name} '{Text(field)}' is not a decimal");

    // The files write plain decimals ("0.43070000"): build the decimal from its digits directly, which is
    // several times faster than the general parser. Anything else (sign, exponent, > 19 digits) falls back.
    internal static bool TryParsePlainDecimal(ReadOnlySpan<byte> field, out decimal value)
    {
        // Drop trailing zeros of the fraction ("0.43070000" → 0.4307) before reading digits: prices then
        // share the tick's scale, and decimal comparisons between equal scales skip rescaling on the hot path.
        if (field.IndexOf((byte)'.') >= 0)
        {
            field = field.TrimEnd((byte)'0');
            if (field.Length > 0 && field[^1] == (byte)'.')
            {
                field = field[..^1];
            }
        }

        ulong mantissa = 0;
        var digits = 0;
        var scale = -1;
        foreach (var b in field)
        {
            var d = (uint)(b - '0');
            if (d <= 9)
            {
                if (++digits > 19)
                {
                    value = 0;
                    return false;
                }

                mantissa = (mantissa * 10) + d;
                if (scale >= 0)
                {
                    scale++;
                }
            }
            else if (b == '.' && scale < 0)
            {
                scale = 0;
            }
            else
            {
                value = 0;
                return false;
            }
        }

        if (digits == 0 || scale > 28)
        {
            value = 0;
            return false;
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, false, (byte)Math.Max(scale, 0));
        return true;
    }

    private decimal Positive(decimal value, string name) => value > 0 ? value : throw Bad($"{name} {value} is not positive");

    private bool Bool(ReadOnlySpan<byte> field, string name)
    {
        if (field.Length > 0)
        {
            var first = field[0] | 0x20;
            if (first == 't' && (field.Length == 1 || System.Text.Ascii.EqualsIgnoreCase(field, "true"u8)))
            {
                return true;
            }

            if (first == 'f' && (field.Length == 1 || System.Text.Ascii.EqualsIgnoreCase(field, "false"u8)))
            {
                return false;
            }
        }

        throw Bad($"{name} '{Text(field)}' is not True or False");
    }

    // Binance switched the files from milliseconds to microseconds on 2025-01-01; the magnitude tells which.
    private static DateTimeOffset Time(long value) =>
        value >= MicrosecondsThreshold
            ? DateTimeOffset.UnixEpoch.AddTicks(value * 10)
            : DateTimeOffset.UnixEpoch.AddTicks(value * TimeSpan.TicksPerMillisecond);

    private static string Text(ReadOnlySpan<byte> field) => System.Text.Encoding.UTF8.GetString(field.Length > 40 ? field[..40] : field);

    private TradeFileFormatException Bad(string problem) => new(_path, _line, problem);

    private sealed record BookColumns(int Count, int Symbol, int TradeId, int Price, int Quantity, int TradeTime, int BuyerMaker)
    {
        public int Required => new[] { Symbol, TradeId, Price, Quantity, TradeTime, BuyerMaker }.Max() + 1;

        public static BookColumns From(string header, string path)
        {
            var names = header.Split(';').Select(n => n.Trim().Trim('"').ToLowerInvariant()).ToList();
            int Find(string name, bool required = true)
            {
                var index = names.IndexOf(name);
                return index >= 0 || !required ? index : throw new TradeFileFormatException(path, 1, $"the ';'-separated header has no '{name}' column");
            }

            return new BookColumns(names.Count, Find("symbol"), Find("trade_id"), Find("price"), Find("quantity"), Find("trade_time"), Find("buyer_market_maker", required: false));
        }
    }
}

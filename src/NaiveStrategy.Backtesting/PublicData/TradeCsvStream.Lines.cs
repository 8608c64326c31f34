namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>The line reader: lines out of one reused buffer, long ones skipped without holding them.</summary>
internal sealed partial class TradeCsvStream
{
    // A line longer than MaxLineLength is returned as too long once MaxLineLength + 1 bytes show no
    // newline: the rest of it is never held in memory (SkipRestOfLine streams over it).
    private bool NextLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCr(available[..newline]);
                tooLong = line.Length > MaxLineLength;
                _start += newline + 1;
                return true;
            }

            if (available.Length > MaxLineLength || _eof)
            {
                line = TrimCr(available);
                tooLong = line.Length > MaxLineLength;
                _start = _end;
                return !available.IsEmpty;
            }

            Fill();
        }
    }

    private void SkipRestOfLine()
    {
        while (!_eof || _start < _end)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                return;
            }

            _start = _end;
            if (_eof)
            {
                return;
            }

            Fill();
        }
    }

    private void Fill()
    {
        // Only called with at most MaxLineLength pending bytes, so the buffer never needs to grow.
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }

        _start = 0;
        _end = pending;
        int read;
        try
        {
            read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (InvalidDataException ex)
        {
            // Deflate errors and CRC mismatches of a zip entry surface here, in the middle of the data.
            throw TradeFileReader.Damaged(_path, ex);
        }

        _diagnostics.AddBytes(read);
        _end += read;
        _eof = read == 0;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}

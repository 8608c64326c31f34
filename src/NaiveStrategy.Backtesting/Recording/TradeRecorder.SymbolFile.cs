using System.Globalization;
using System.Text;

namespace NaiveStrategy.Backtesting.Recording;

// The files of one symbol: the day's trade file (rolled at each UTC day, resumed after the last trade an earlier run
// wrote) and the gap sidecar beside it.
public sealed partial class TradeRecorder
{
    private sealed class SymbolFile(string symbol)
    {
        private StreamWriter? _gaps;

        public DateOnly Day { get; private set; }

        public StreamWriter? Trades { get; private set; }

        public long? LastId { get; set; }

        public DateTimeOffset LastTime { get; set; }

        public bool Unwritten { get; set; }

        public long DroppedSeen { get; set; }

        // The last trade came from a file an earlier run wrote (the first gap of this run is between runs).
        public bool Resumed { get; set; }

        public void Open(string directory, DateOnly day)
        {
            Close();
            System.IO.Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, $"{symbol}-trades-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv");
            if (LastId is null && LastOf(path) is { } last)
            {
                (LastId, LastTime, Resumed) = (last.Id, last.Time, true);
            }

            Trades = Writer(path);
            Day = day;
        }

        // The id and time of the last complete line of a trade file an earlier run appended to; null when there is none.
        private static (long Id, DateTimeOffset Time)? LastOf(string path)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var tail = new byte[(int)Math.Min(stream.Length, 512)];
            stream.Seek(-tail.Length, SeekOrigin.End);
            stream.ReadExactly(tail);
            var lines = Encoding.UTF8.GetString(tail).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var fields = lines.Length > 0 ? lines[^1].Split(',') : [];
            if (fields.Length < 5 || !long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                || !long.TryParse(fields[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var time))
            {
                return null;
            }

            // Binance writes microseconds from 2025 on, milliseconds before.
            var at = time >= 1_000_000_000_000_000 ? DateTimeOffset.UnixEpoch.AddTicks(time * 10) : DateTimeOffset.FromUnixTimeMilliseconds(time);
            return (id, at);
        }

        public void Append(in TradeEvent trade)
        {
            Trades!.Write(Line(trade));
            Trades.Write('\n');
        }

        public void Gap(DateTimeOffset from, DateTimeOffset to, long after, long before, string reason)
        {
            if (_gaps is null)
            {
                var path = Path.Combine(Path.GetDirectoryName(((FileStream)Trades!.BaseStream).Name)!, symbol + GapsSuffix);
                var fresh = !File.Exists(path) || new FileInfo(path).Length == 0;
                _gaps = Writer(path);
                if (fresh)
                {
                    _gaps.Write(GapsHeader + "\n");
                }
            }

            var inv = CultureInfo.InvariantCulture;
            _gaps.Write(string.Create(inv, $"{from.UtcDateTime:O},{to.UtcDateTime:O},{after},{before},{before - after - 1},{reason}\n"));
        }

        public void Flush()
        {
            Trades?.Flush();
            _gaps?.Flush();
        }

        public void Close()
        {
            try
            {
                Trades?.Dispose();
                _gaps?.Dispose();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A close that cannot flush: the problem is reported by the write that failed.
            }

            Trades = null;
            _gaps = null;
        }

        private static StreamWriter Writer(string path) =>
            new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024);
    }
}

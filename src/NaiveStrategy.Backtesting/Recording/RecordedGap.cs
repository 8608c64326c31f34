using System.Globalization;

namespace NaiveStrategy.Backtesting.Recording;

/// <summary>
/// A row of a recording's gap sidecar (<c>XRPUSDT-gaps.csv</c>, written by <see cref="TradeRecorder"/>): trades the
/// recording lacks, between two it has, and why (<c>stream</c>, <c>dropped by the recorder (queue full)</c>, …).
/// </summary>
/// <param name="Symbol">The symbol (from the file's name).</param>
/// <param name="AfterTradeId">The last trade recorded before the gap.</param>
/// <param name="BeforeTradeId">The first trade recorded after it.</param>
/// <param name="Reason">Why the trades are missing, as the recorder wrote it.</param>
public sealed record RecordedGap(string Symbol, long AfterTradeId, long BeforeTradeId, string Reason)
{
    /// <summary>Trades missing.</summary>
    public long Missing => BeforeTradeId - AfterTradeId - 1;

    /// <summary>
    /// Reads the gap sidecars of recording directories (every <c>*-gaps.csv</c> in them) or of files named so; other
    /// paths (trade files) are skipped.
    /// </summary>
    /// <param name="paths">Directories or files, as given to <c>--trades</c>.</param>
    /// <returns>The gaps, by symbol and trade id.</returns>
    /// <exception cref="FormatException">A row is not <c>from,to,after_trade_id,before_trade_id,missing_trades,reason</c>; the message names the file and line.</exception>
    public static IReadOnlyList<RecordedGap> Read(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var gaps = new List<RecordedGap>();
        foreach (var path in paths)
        {
            var files = Directory.Exists(path) ? Directory.GetFiles(path, "*" + TradeRecorder.GapsSuffix)
                : path.EndsWith(TradeRecorder.GapsSuffix, StringComparison.Ordinal) && File.Exists(path) ? [path] : [];
            foreach (var file in files)
            {
                var symbol = Path.GetFileName(file)[..^TradeRecorder.GapsSuffix.Length];
                var n = 0;
                foreach (var line in File.ReadLines(file))
                {
                    n++;
                    if (line.Length == 0 || line == TradeRecorder.GapsHeader)
                    {
                        continue;
                    }

                    var fields = line.Split(',', 6);
                    if (fields.Length != 6
                        || !long.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var after)
                        || !long.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var before)
                        || before <= after)
                    {
                        throw new FormatException($"{file} line {n.ToString(CultureInfo.InvariantCulture)}: not a gap row ({TradeRecorder.GapsHeader}).");
                    }

                    gaps.Add(new RecordedGap(symbol, after, before, fields[5]));
                }
            }
        }

        return [.. gaps.OrderBy(g => g.Symbol, StringComparer.Ordinal).ThenBy(g => g.AfterTradeId)];
    }
}

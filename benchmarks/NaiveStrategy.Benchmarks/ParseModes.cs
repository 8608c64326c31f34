using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using nietras.SeparatedValues;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// Whole-file figures for one file, the process's own wall and CPU time: <c>parse FILE</c> (a plain Span parse,
/// our reader, Sep) and <c>replay FILE [THREADS]</c> (the backtest of <see cref="Pipeline"/>, sequential with 1
/// thread, pipelined through <see cref="TradePipe"/> with more).
/// </summary>
internal static class ParseModes
{
    public static void Parse(string path, int rounds)
    {
        for (var round = 1; round <= rounds; round++)
        {
            Measure($"parse plain span   (round {round})", () => PlainSpan(path));
            Measure($"parse TradeFileReader (round {round})", () => Reader(path));
            Measure($"parse Sep          (round {round})", () => SepParse(path));
        }
    }

    public static async Task ReplayAsync(string path, int threads, int rounds)
    {
        for (var round = 1; round <= rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var result = await Pipeline.RunAsync(path, threads);
            watch.Stop();
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var trades = result.TradesReplayed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replay threads {threads} (round {round}): {trades:N0} trades in {watch.Elapsed.TotalSeconds:F3} s, {trades / watch.Elapsed.TotalSeconds / 1e6:F2} M trades/s (cpu {used.TotalSeconds:F3} s), {result.Journal.Count} orders"));
        }
    }

    private static void Measure(string name, Func<(long Lines, decimal Check)> parse)
    {
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (lines, check) = parse();
        watch.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {lines:N0} lines in {watch.Elapsed.TotalSeconds:F3} s, {lines / watch.Elapsed.TotalSeconds / 1e6:F2} M lines/s (cpu {used.TotalSeconds:F3} s, check {check})"));
    }

    // The floor: split lines and fields with IndexOf and parse id, price, quantity and time with Utf8Parser.
    private static (long, decimal) PlainSpan(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var filled = 0;
        long lines = 0;
        decimal volume = 0;
        long lastTime = 0;
        while (true)
        {
            var read = file.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var span = buffer.AsSpan(0, filled);
            var start = 0;
            while (true)
            {
                var end = span[start..].IndexOf((byte)'\n');
                if (end < 0)
                {
                    break;
                }

                var line = span.Slice(start, end);
                start += end + 1;
                var id = Long(ref line);
                var price = Decimal(ref line);
                var quantity = Decimal(ref line);
                line = line[(line.IndexOf((byte)',') + 1)..];
                var time = Long(ref line);
                lastTime = time;
                volume += quantity + (price * 0) + (id * 0);
                lines++;
            }

            if (read == 0)
            {
                return (lines, volume + (lastTime * 0));
            }

            span[start..].CopyTo(buffer);
            filled -= start;
        }
    }

    private static long Long(ref Span<byte> line)
    {
        if (!Utf8Parser.TryParse(line, out long value, out var used))
        {
            throw new InvalidDataException("not a whole number");
        }

        line = line[Math.Min(used + 1, line.Length)..];
        return value;
    }

    private static decimal Decimal(ref Span<byte> line)
    {
        if (!Utf8Parser.TryParse(line, out decimal value, out var used))
        {
            throw new InvalidDataException("not a number");
        }

        line = line[Math.Min(used + 1, line.Length)..];
        return value;
    }

    private static (long, decimal) Reader(string path)
    {
        long lines = 0;
        decimal volume = 0;
        foreach (var trade in TradeFileReader.Open([path]))
        {
            volume += trade.Quantity;
            lines++;
        }

        return (lines, volume);
    }

    private static (long, decimal) SepParse(string path)
    {
        long lines = 0;
        decimal volume = 0;
        using var reader = Sep.Reader(o => o with { HasHeader = false, CultureInfo = CultureInfo.InvariantCulture }).FromFile(path);
        foreach (var row in reader)
        {
            var id = row[0].Parse<long>();
            var price = row[1].Parse<decimal>();
            var quantity = row[2].Parse<decimal>();
            var time = row[4].Parse<long>();
            volume += quantity + (price * 0) + ((id + time) * 0);
            lines++;
        }

        return (lines, volume);
    }
}

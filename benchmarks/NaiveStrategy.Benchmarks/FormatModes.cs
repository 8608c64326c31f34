using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using NaiveStrategy.Backtesting.Catalog;
using NaiveStrategy.Backtesting.PublicData;
using Parquet;
using Parquet.Schema;
using ArrowField = Apache.Arrow.Field;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// <c>formats CSV_FILE [ROUNDS]</c>: the same trades stored in each columnar format issue #26 names, then read back.
/// Writes, into a temporary directory, the catalog's Parquet (Parquet.Net, through <see cref="TradeCatalog.ImportAsync"/>,
/// uncompressed and Snappy) and Arrow IPC files (Apache.Arrow, uncompressed, batches of 1 Mi rows), all partitioned by
/// UTC day as the catalog is. Arrow is written twice: prices and quantities as Decimal128(18, 8), and as INT64 scaled
/// by 10^8 (the scale in the field metadata). Each is read ROUNDS times, timing wall and CPU: (i) the columns only
/// (every column summed, so every value is decoded), (ii) every trade built as a <see cref="TradeEvent"/>. Parquet
/// is read by Parquet.Net (raw INT64, as the catalog reader does), by ParquetSharp (Arrow C++'s reader,
/// <c>ColumnReader&lt;long&gt;.ReadBatch</c>) and through <see cref="TradeFileReader"/> (the catalog reader as shipped);
/// Arrow through <see cref="ArrowFileReader"/> over a <see cref="FileStream"/> (values copied into buffers) and through
/// <see cref="ArrowStreamReader"/> over a memory-mapped file (buffers are views of the mapping: zero copy).
/// </summary>
/// <remarks>
/// (ii) builds decimals with the catalog reader's own <c>TradeCatalog.ToDecimal</c> and reuses the last price's decimal
/// while the price repeats — the work the catalog reader does per trade.
/// </remarks>
internal static class FormatModes
{
    private const int BatchRows = 1 << 20;
    private const int Scale = 8;
    private const string ScaleKey = "scale";

    public static async Task RunAsync(string csv, int rounds)
    {
        var root = Path.Combine(Path.GetTempPath(), "naive-formats-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        try
        {
            await RunAsync(csv, rounds, root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task RunAsync(string csv, int rounds, string root)
    {
        var watch = Stopwatch.StartNew();
        var trades = Columns.Load(csv);
        Console.WriteLine(Line($"csv parse into columns (TradeFileReader, once): {trades.Count:N0} trades, {trades.Days.Count} days, {watch.Elapsed.TotalSeconds:F3} s"));

        var parquetNone = Path.Combine(root, "parquet-none");
        var parquetSnappy = Path.Combine(root, "parquet-snappy");
        var arrowDecimal = Path.Combine(root, "arrow-decimal128");
        var arrowInt64 = Path.Combine(root, "arrow-int64");
        var none = await Written(() => TradeCatalog.ImportAsync([csv], parquetNone, compression: TradeCatalogCompression.None));
        var snappy = await Written(() => TradeCatalog.ImportAsync([csv], parquetSnappy, compression: TradeCatalogCompression.Snappy));
        var decimals = await Written(() => ArrowWriter.WriteAsync(trades, arrowDecimal, decimal128: true));
        var int64s = await Written(() => ArrowWriter.WriteAsync(trades, arrowInt64, decimal128: false));
        Format[] formats =
        [
            new("csv, TradeFileReader", null, Size(csv), null, Shipped(csv)),
            new("parquet none, TradeFileReader", none, Size(parquetNone), null, Shipped(parquetNone)),
            new("parquet none, Parquet.Net", null, Size(parquetNone), ParquetNet(parquetNone), null),
            new("parquet none, ParquetSharp", null, Size(parquetNone), ParquetSharpColumns(parquetNone), null),
            new("parquet snappy, TradeFileReader", snappy, Size(parquetSnappy), null, Shipped(parquetSnappy)),
            new("parquet snappy, Parquet.Net", null, Size(parquetSnappy), ParquetNet(parquetSnappy), null),
            new("parquet snappy, ParquetSharp", null, Size(parquetSnappy), ParquetSharpColumns(parquetSnappy), null),
            new("arrow decimal128, FileStream", decimals, Size(arrowDecimal), ArrowFile(arrowDecimal), null),
            new("arrow decimal128, mmap", null, Size(arrowDecimal), ArrowMapped(arrowDecimal), null),
            new("arrow int64, FileStream", int64s, Size(arrowInt64), ArrowFile(arrowInt64), null),
            new("arrow int64, mmap", null, Size(arrowInt64), ArrowMapped(arrowInt64), null),
        ];

        var expected = trades.Sum();
        var failures = 0;
        var results = formats.ToDictionary(f => f.Name, _ => (Columns: new List<Timing>(), Events: new List<Timing>()));
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var format in formats)
            {
                if (format.Columns is { } read)
                {
                    var sum = new ColumnSum();
                    var timing = Measure(() => read(sum));
                    results[format.Name].Columns.Add(timing);
                    failures += Report(format.Name, "columns", round, sum.Count, timing, sum.ToString(), sum.ToString() == expected.ToString());
                    var events = new EventBuild(trades.Symbol);
                    timing = Measure(() => read(events));
                    results[format.Name].Events.Add(timing);
                    failures += Report(format.Name, "events", round, events.Count, timing, events.Check, events.Check == trades.Check);
                }

                if (format.Shipped is { } shipped)
                {
                    string check = "";
                    long count = 0;
                    var timing = Measure(() => (count, check) = shipped());
                    results[format.Name].Events.Add(timing);
                    failures += Report(format.Name, "events", round, count, timing, check, check == trades.Check);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| format, reader | size | write (Parquet: catalog import from the CSV; Arrow: from the columns in memory) | (i) columns: wall / CPU, s | (ii) TradeEvents: wall / CPU, s |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var format in formats)
        {
            var (columns, events) = results[format.Name];
            Console.WriteLine(Line($"| {format.Name} | {format.Bytes / 1e6:F0} MB | {(format.Write is { } w ? $"{w.TotalSeconds:F1} s" : "")} | {Range(columns)} | {Range(events)} |"));
        }

        Console.WriteLine(failures == 0 ? "checks: every format gave the same sums and the same trades" : $"checks: {failures} MISMATCHES (see above)");
        Environment.ExitCode = failures == 0 ? 0 : 1;
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static async Task<TimeSpan?> Written(Func<Task> write)
    {
        var watch = Stopwatch.StartNew();
        await write();
        return watch.Elapsed;
    }

    private static long Size(string path) =>
        File.Exists(path) ? new FileInfo(path).Length : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static Timing Measure(Action run)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        run();
        watch.Stop();
        return new Timing(watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static int Report(string format, string mode, int round, long count, Timing timing, string check, bool good)
    {
        Console.WriteLine(Line($"{format,-32} {mode,-7} (round {round}): {count:N0} trades, wall {timing.Wall.TotalSeconds:F3} s, cpu {timing.Cpu.TotalSeconds:F3} s, {count / timing.Wall.TotalSeconds / 1e6:F1} M trades/s, {check}{(good ? "" : " MISMATCH")}"));
        return good ? 0 : 1;
    }

    private static string Range(List<Timing> timings) =>
        timings.Count == 0
            ? ""
            : Line($"{timings.Min(t => t.Wall.TotalSeconds):F2}–{timings.Max(t => t.Wall.TotalSeconds):F2} / {timings.Min(t => t.Cpu.TotalSeconds):F2}–{timings.Max(t => t.Cpu.TotalSeconds):F2}");

    // The catalog reader as shipped: TradeFileReader over the file or the catalog's root.
    private static Func<(long, string)> Shipped(string path) => () =>
    {
        var events = new EventBuild("");
        foreach (var trade in TradeFileReader.Open([path]))
        {
            events.Add(trade);
        }

        return (events.Count, events.Check);
    };

    private static IEnumerable<string> Parts(string root, string extension) =>
        Directory.EnumerateFiles(root, "*" + extension, SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    // Parquet.Net as CatalogTradeStream reads: each column of a row group decoded raw (INT64 / BOOLEAN) into pooled arrays.
    private static Action<ISink> ParquetNet(string root) => sink =>
    {
        var ids = ArrayPool<long>.Shared.Rent(BatchRows);
        var prices = ArrayPool<long>.Shared.Rent(BatchRows);
        var quantities = ArrayPool<long>.Shared.Rent(BatchRows);
        var times = ArrayPool<long>.Shared.Rent(BatchRows);
        var makers = ArrayPool<bool>.Shared.Rent(BatchRows);
        var raw = new ParquetSchema(
            new DataField<long>("id"), new DataField<long>("price"), new DataField<long>("quantity"), new DataField<long>("time"), new DataField<bool>("is_buyer_maker"));
        foreach (var part in Parts(root, TradeCatalog.PartExtension))
        {
            using var file = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var reader = ParquetReader.CreateAsync(file, leaveStreamOpen: true).GetAwaiter().GetResult();
            var priceScale = ((DecimalDataField)reader.Schema.DataFields[1]).Scale;
            var quantityScale = ((DecimalDataField)reader.Schema.DataFields[2]).Scale;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var rows = checked((int)group.RowCount);
                var fields = raw.DataFields;
                group.ReadRawAsync<long>(fields[0], ids.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
                group.ReadRawAsync<long>(fields[1], prices.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
                group.ReadRawAsync<long>(fields[2], quantities.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
                group.ReadRawAsync<long>(fields[3], times.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
                group.ReadRawAsync<bool>(fields[4], makers.AsMemory(0, rows), null, null).AsTask().GetAwaiter().GetResult();
                sink.Take(new Batch(rows, ids, prices, 0, priceScale, quantities, 0, quantityScale, times, makers, default));
            }

            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        ArrayPool<long>.Shared.Return(ids);
        ArrayPool<long>.Shared.Return(prices);
        ArrayPool<long>.Shared.Return(quantities);
        ArrayPool<long>.Shared.Return(times);
        ArrayPool<bool>.Shared.Return(makers);
    };

    // ParquetSharp (Arrow C++'s Parquet reader): the physical INT64 / BOOLEAN values of each column, batch by batch.
    private static Action<ISink> ParquetSharpColumns(string root) => sink =>
    {
        var ids = new long[BatchRows];
        var prices = new long[BatchRows];
        var quantities = new long[BatchRows];
        var times = new long[BatchRows];
        var makers = new bool[BatchRows];
        foreach (var part in Parts(root, TradeCatalog.PartExtension))
        {
            using var file = new ParquetSharp.ParquetFileReader(part);
            var schema = file.FileMetaData.Schema;
            var priceScale = ((ParquetSharp.DecimalLogicalType)schema.Column(1).LogicalType).Scale;
            var quantityScale = ((ParquetSharp.DecimalLogicalType)schema.Column(2).LogicalType).Scale;
            for (var g = 0; g < file.FileMetaData.NumRowGroups; g++)
            {
                using var group = file.RowGroup(g);
                var rows = checked((int)group.MetaData.NumRows);
                ReadColumn(group, 0, ids.AsSpan(0, rows));
                ReadColumn(group, 1, prices.AsSpan(0, rows));
                ReadColumn(group, 2, quantities.AsSpan(0, rows));
                ReadColumn(group, 3, times.AsSpan(0, rows));
                ReadColumn(group, 4, makers.AsSpan(0, rows));
                sink.Take(new Batch(rows, ids, prices, 0, priceScale, quantities, 0, quantityScale, times, makers, default));
            }
        }
    };

    private static void ReadColumn<T>(ParquetSharp.RowGroupReader group, int index, Span<T> values)
        where T : unmanaged
    {
        using var column = group.Column(index);
        if (column.ColumnDescriptor.MaxDefinitionLevel != 0)
        {
            throw new InvalidDataException($"column {index} is optional; the catalog writes required columns");
        }

        var reader = (ParquetSharp.ColumnReader<T>)column;
        var read = 0;
        while (read < values.Length)
        {
            _ = reader.ReadBatch(values.Length - read, values[read..], out var n);
            if (n == 0)
            {
                throw new InvalidDataException($"column {index} ended after {read} of {values.Length} values");
            }

            read += checked((int)n);
        }
    }

    // Arrow IPC file format through ArrowFileReader over a FileStream: each batch's buffers are read into memory.
    private static Action<ISink> ArrowFile(string root) => sink =>
    {
        foreach (var part in Parts(root, ArrowWriter.Extension))
        {
            using var file = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = new ArrowFileReader(file);
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                using (batch)
                {
                    sink.Take(ArrowBatch(batch));
                }
            }
        }
    };

    // Arrow IPC file format, memory-mapped: the file's body is the IPC stream format (after 8 bytes of magic and
    // padding), read by ArrowStreamReader from memory, whose arrays are views of the mapping.
    private static Action<ISink> ArrowMapped(string root) => sink =>
    {
        foreach (var part in Parts(root, ArrowWriter.Extension))
        {
            using var mapping = new MappedFile(part);
            using var reader = new ArrowStreamReader(mapping.Memory[8..]);
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                using (batch)
                {
                    sink.Take(ArrowBatch(batch));
                }
            }
        }
    };

    private static Batch ArrowBatch(RecordBatch batch)
    {
        var makers = (BooleanArray)batch.Column(4);
        if (makers.Offset != 0)
        {
            throw new InvalidDataException("a record batch with an offset: not written by this benchmark");
        }

        var prices = ScaledColumn(batch, 1, out var priceShift, out var priceScale);
        var quantities = ScaledColumn(batch, 2, out var quantityShift, out var quantityScale);
        return new Batch(
            batch.Length,
            ((Int64Array)batch.Column(0)).Values,
            prices,
            priceShift,
            priceScale,
            quantities,
            quantityShift,
            quantityScale,
            ((TimestampArray)batch.Column(3)).Values,
            default,
            makers.ValueBuffer.Span);
    }

    // A Decimal128 of at most 18 digits is its low 64 bits (the high 64 are the sign): every other long, shift 1.
    private static ReadOnlySpan<long> ScaledColumn(RecordBatch batch, int index, out int shift, out int scale)
    {
        switch (batch.Column(index))
        {
            case Decimal128Array decimals:
                (shift, scale) = (1, decimals.Scale);
                return MemoryMarshal.Cast<byte, long>(decimals.ValueBuffer.Span)[(decimals.Offset * 2)..];
            case Int64Array longs:
                (shift, scale) = (0, int.Parse(batch.Schema.GetFieldByIndex(index).Metadata[ScaleKey], CultureInfo.InvariantCulture));
                return longs.Values;
            case var other:
                throw new InvalidDataException($"column {index} is {other.Data.DataType.Name}, not decimal128 or int64");
        }
    }

    private sealed record Format(string Name, TimeSpan? Write, long Bytes, Action<ISink>? Columns, Func<(long Count, string Check)>? Shipped);

    private readonly record struct Timing(TimeSpan Wall, TimeSpan Cpu);

    private interface ISink
    {
        void Take(Batch batch);
    }

    // One batch of rows as the formats hand them over: scaled integers (a shift of 1 reads every other long, for
    // Decimal128), and the maker flags as bools or as Arrow's bitmap.
    private readonly ref struct Batch(
        int count,
        ReadOnlySpan<long> ids,
        ReadOnlySpan<long> prices,
        int priceShift,
        int priceScale,
        ReadOnlySpan<long> quantities,
        int quantityShift,
        int quantityScale,
        ReadOnlySpan<long> times,
        ReadOnlySpan<bool> makers,
        ReadOnlySpan<byte> makerBits)
    {
        public int Count { get; } = count;

        public ReadOnlySpan<long> Ids { get; } = ids;

        public ReadOnlySpan<long> Prices { get; } = prices;

        public int PriceShift { get; } = priceShift;

        public int PriceScale { get; } = priceScale;

        public ReadOnlySpan<long> Quantities { get; } = quantities;

        public int QuantityShift { get; } = quantityShift;

        public int QuantityScale { get; } = quantityScale;

        public ReadOnlySpan<long> Times { get; } = times;

        private readonly ReadOnlySpan<bool> _makers = makers;
        private readonly ReadOnlySpan<byte> _makerBits = makerBits;

        public bool Maker(int i) => _makerBits.IsEmpty ? _makers[i] : ((_makerBits[i >> 3] >> (i & 7)) & 1) != 0;
    }

    // (i): every value of every column summed (times and ids too), as scaled integers.
    private sealed class ColumnSum : ISink
    {
        public long Count { get; private set; }

        private long _ids;
        private long _prices;
        private long _quantities;
        private long _times;
        private long _makers;

        public void Take(Batch batch)
        {
            // Sums at scale 8 whatever the batch's scale, so every format's sums compare.
            long priceFactor = Pow10(Scale - batch.PriceScale), quantityFactor = Pow10(Scale - batch.QuantityScale);
            for (var i = 0; i < batch.Count; i++)
            {
                _ids += batch.Ids[i];
                _prices += batch.Prices[i << batch.PriceShift] * priceFactor;
                _quantities += batch.Quantities[i << batch.QuantityShift] * quantityFactor;
                _times += batch.Times[i];
                _makers += batch.Maker(i) ? 1 : 0;
            }

            Count += batch.Count;
        }

        public void Add(long id, long price, long quantity, long time, bool maker)
        {
            Count++;
            _ids += id;
            _prices += price;
            _quantities += quantity;
            _times += time;
            _makers += maker ? 1 : 0;
        }

        public override string ToString() => Line($"count {Count}, ids {_ids}, prices {_prices}, quantities {_quantities}, times {_times}, makers {_makers}");

        private static long Pow10(int exponent) => exponent >= 0 ? (long)Math.Pow(10, exponent) : throw new InvalidDataException($"a scale above {Scale}");
    }

    // (ii): every row built as the TradeEvent the catalog reader yields, then summed as the `read` mode sums.
    private sealed class EventBuild(string symbol) : ISink
    {
        private long _lastMantissa = -1;
        private int _lastScale = -1;
        private decimal _lastPrice;
        private decimal _volume;
        private long _ids;
        private long _ticks;
        private long _makers;

        public long Count { get; private set; }

        public string Check => Line($"count {Count}, volume {_volume}, ids {_ids}, ticks {_ticks}, makers {_makers}");

        public void Take(Batch batch)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var mantissa = batch.Prices[i << batch.PriceShift];
                if (mantissa != _lastMantissa || batch.PriceScale != _lastScale)
                {
                    _lastPrice = TradeCatalog.ToDecimal(mantissa, batch.PriceScale);
                    (_lastMantissa, _lastScale) = (mantissa, batch.PriceScale);
                }

                Add(new TradeEvent(
                    symbol,
                    batch.Ids[i],
                    _lastPrice,
                    TradeCatalog.ToDecimal(batch.Quantities[i << batch.QuantityShift], batch.QuantityScale),
                    new DateTimeOffset(TradeCatalog.EpochTicks + (batch.Times[i] * 10), TimeSpan.Zero),
                    batch.Maker(i)));
            }
        }

        public void Add(TradeEvent trade)
        {
            Count++;
            _volume += trade.Quantity;
            _ids += trade.TradeId;
            _ticks += trade.Time.UtcTicks;
            _makers += trade.IsBuyerMaker ? 1 : 0;
        }
    }

    // The trades of one CSV file held as the columns every format stores (prices and quantities scaled by 10^8).
    private sealed class Columns
    {
        public string Symbol { get; private set; } = "";

        public int Count { get; private set; }

        public List<(DateOnly Day, int Start, int Count)> Days { get; } = [];

        public long[] Ids { get; private set; } = new long[BatchRows];

        public long[] Prices { get; private set; } = new long[BatchRows];

        public long[] Quantities { get; private set; } = new long[BatchRows];

        public long[] Times { get; private set; } = new long[BatchRows];

        public bool[] Makers { get; private set; } = new bool[BatchRows];

        public string Check { get; private set; } = "";

        public static Columns Load(string csv)
        {
            var columns = new Columns();
            var events = new EventBuild("");
            foreach (var trade in TradeFileReader.Open([csv]))
            {
                columns.Add(trade);
                events.Add(trade);
            }

            columns.Check = events.Check;
            return columns;
        }

        public ColumnSum Sum()
        {
            var sum = new ColumnSum();
            for (var i = 0; i < Count; i++)
            {
                sum.Add(Ids[i], Prices[i], Quantities[i], Times[i], Makers[i]);
            }

            return sum;
        }

        private void Add(TradeEvent trade)
        {
            if (Count == Ids.Length)
            {
                var length = checked(Count * 2);
                (Ids, Prices, Quantities, Times) = (Grow(Ids, length), Grow(Prices, length), Grow(Quantities, length), Grow(Times, length));
                var makers = Makers;
                System.Array.Resize(ref makers, length);
                Makers = makers;
            }

            var day = DateOnly.FromDateTime(trade.Time.UtcDateTime);
            if (Days.Count == 0 || Days[^1].Day != day)
            {
                Days.Add((day, Count, 0));
                Symbol = trade.Symbol;
            }

            Days[^1] = Days[^1] with { Count = Days[^1].Count + 1 };
            Ids[Count] = trade.TradeId;
            Prices[Count] = Scaled(trade.Price, "price", trade.TradeId);
            Quantities[Count] = Scaled(trade.Quantity, "quantity", trade.TradeId);
            Times[Count] = (trade.Time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
            Makers[Count] = trade.IsBuyerMaker;
            Count++;
        }

        private static long[] Grow(long[] array, int length)
        {
            System.Array.Resize(ref array, length);
            return array;
        }

        private static long Scaled(decimal value, string column, long id) =>
            value.Scale <= Scale && value >= 0 && value < 10_000_000_000m
                ? decimal.ToInt64(value * 100_000_000m)
                : throw new InvalidDataException(Line($"trade {id}: {column} {value} does not fit DECIMAL(18, {Scale})"));
    }

    // Arrow IPC files, one per day as the catalog's parts: trades/symbol=S/date=D/part-0.arrow, batches of 1 Mi rows.
    private static class ArrowWriter
    {
        public const string Extension = ".arrow";

        public static async Task WriteAsync(Columns trades, string root, bool decimal128)
        {
            IArrowType scaled = decimal128 ? new Decimal128Type(18, Scale) : Int64Type.Default;
            var time = new TimestampType(TimeUnit.Microsecond, "UTC");
            var schema = new Schema.Builder()
                .Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false))
                .Field(f => Scaled(f.Name("price").DataType(scaled).Nullable(false), decimal128))
                .Field(f => Scaled(f.Name("quantity").DataType(scaled).Nullable(false), decimal128))
                .Field(f => f.Name("time").DataType(time).Nullable(false))
                .Field(f => f.Name("is_buyer_maker").DataType(BooleanType.Default).Nullable(false))
                .Metadata("naivestrategy.symbol", trades.Symbol)
                .Build();
            foreach (var (day, start, count) in trades.Days)
            {
                var path = Path.Combine(root, "trades", $"symbol={trades.Symbol}", $"date={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", "part-0" + Extension);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                using var writer = new ArrowFileWriter(file, schema, leaveOpen: true);
                for (var offset = start; offset < start + count; offset += BatchRows)
                {
                    var n = Math.Min(BatchRows, start + count - offset);
                    IArrowArray[] arrays =
                    [
                        new Int64Array(Longs(trades.Ids.AsSpan(offset, n)), ArrowBuffer.Empty, n, 0, 0),
                        ScaledArray(trades.Prices.AsSpan(offset, n), scaled, decimal128),
                        ScaledArray(trades.Quantities.AsSpan(offset, n), scaled, decimal128),
                        new TimestampArray(time, Longs(trades.Times.AsSpan(offset, n)), ArrowBuffer.Empty, n, 0, 0),
                        new BooleanArray(Bits(trades.Makers.AsSpan(offset, n)), ArrowBuffer.Empty, n, 0, 0),
                    ];
                    using var batch = new RecordBatch(schema, arrays, n);
                    await writer.WriteRecordBatchAsync(batch);
                }

                await writer.WriteEndAsync();
            }
        }

        private static ArrowField.Builder Scaled(ArrowField.Builder field, bool decimal128) =>
            decimal128 ? field : field.Metadata(ScaleKey, Scale.ToString(CultureInfo.InvariantCulture));

        private static IArrowArray ScaledArray(ReadOnlySpan<long> values, IArrowType type, bool decimal128)
        {
            if (!decimal128)
            {
                return new Int64Array(Longs(values), ArrowBuffer.Empty, values.Length, 0, 0);
            }

            // Little-endian 128-bit two's complement: the value, then its sign extension.
            var bytes = new byte[values.Length * 16];
            var longs = MemoryMarshal.Cast<byte, long>(bytes.AsSpan());
            for (var i = 0; i < values.Length; i++)
            {
                longs[2 * i] = values[i];
                longs[(2 * i) + 1] = values[i] < 0 ? -1 : 0;
            }

            return new Decimal128Array(new ArrayData(type, values.Length, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bytes)], []));
        }

        private static ArrowBuffer Longs(ReadOnlySpan<long> values) => new(MemoryMarshal.AsBytes(values).ToArray());

        private static ArrowBuffer Bits(ReadOnlySpan<bool> values)
        {
            var bytes = new byte[(values.Length + 7) / 8];
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i])
                {
                    bytes[i >> 3] |= (byte)(1 << (i & 7));
                }
            }

            return new ArrowBuffer(bytes);
        }
    }

    // A read-only memory mapping of a whole file, seen as Memory<byte> (files of the catalog are well under 2 GiB).
    private sealed unsafe class MappedFile : MemoryManager<byte>
    {
        private readonly MemoryMappedFile _file;
        private readonly MemoryMappedViewAccessor _view;
        private readonly byte* _pointer;
        private readonly int _length;

        public MappedFile(string path)
        {
            _length = checked((int)new FileInfo(path).Length);
            _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _pointer = pointer + _view.PointerOffset;
        }

        public override Span<byte> GetSpan() => new(_pointer, _length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
                _view.Dispose();
                _file.Dispose();
            }
        }
    }
}

using System.IO.Compression;
using System.Text;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Backtesting.Tests.PublicData;

/// <summary>
/// Seeded fuzzing of the trade readers: valid files mutated line by line (wrong field counts, huge,
/// negative and odd numbers, unicode, BOMs, CR/LF mixes, junk, order breaks) and damaged zips. Whatever
/// the input, a read ends normally or with <see cref="TradeFileFormatException"/> naming the file (and a
/// line within the file); every trade it hands out is in range and in order.
/// </summary>
public sealed class TradeFileReaderFuzzTests : IDisposable
{
    private const int CsvCases = 10_000;
    private const int ZipCases = 300;
    private const string Name = "XRPUSDT-trades-2024-01-01.csv";

    private static readonly string[] OddTokens =
    [
        "", "-1", "0", "-0", "+1", "1e25", "1E-5", "79228162514264337593543950335", "79228162514264337593543950336", "99999999999999999999",
        "9223372036854775807", "9223372036854775808", "922337203685477581", "253402300800000000", "NaN", "Infinity", "∞", "١٢٣", "0x10", " 1", "1 ",
        "1.2.3", ".", "1.", ".5", "0.0000000000000000000000000001", "100000000000000", "99999999999999.99999999", "\uFEFF1", "True", "false", "t",
        "é", "𝟙", "\0", "\"1\"", "1,5", ";", "TRUE", "Maybe", "00000000000000000000001", "1" + new string('0', 40),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("naive-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadStream_TenThousandMutatedFiles_OnlyFormatExceptionsAndValidTrades()
    {
        var random = new Random(20240101);
        var failures = new List<string>();
        for (var i = 0; i < CsvCases && failures.Count < 5; i++)
        {
            var content = MutatedFile(random);
            Check(i, content, skip: false, failures);
            Check(i, content, skip: true, failures);
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Open_DamagedZips_OnlyFormatExceptionsAndValidTrades()
    {
        var random = new Random(7);
        var failures = new List<string>();
        for (var i = 0; i < ZipCases && failures.Count < 5; i++)
        {
            var path = Path.Combine(_dir, $"XRPUSDT-trades-2024-{i:D4}.zip");
            File.WriteAllBytes(path, DamagedZip(random, MutatedFile(random, mutationRate: random.Next(2) == 0 ? 0 : 0.05)));
            foreach (var skip in new[] { false, true })
            {
                try
                {
                    Verify([.. TradeFileReader.Open([path], new TradeFileReaderOptions { SkipBadLines = skip })]);
                }
                catch (TradeFileFormatException ex) when (ex.Message.StartsWith(Path.GetFileName(path), StringComparison.Ordinal))
                {
                }
                catch (Exception ex)
                {
                    failures.Add($"zip case {i} (skip {skip}): {ex}");
                }
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void MutatedFile_Generator_ProducesBothGoodAndBadFiles()
    {
        // The fuzz tests above only mean something if the cases reach both outcomes.
        var random = new Random(20240101);
        var (good, bad) = (0, 0);
        for (var i = 0; i < 500; i++)
        {
            try
            {
                _ = Read(MutatedFile(random), skip: false);
                good++;
            }
            catch (TradeFileFormatException)
            {
                bad++;
            }
        }

        good.Should().BeGreaterThan(25);
        bad.Should().BeGreaterThan(100);
    }

    private static void Check(int index, byte[] content, bool skip, List<string> failures)
    {
        var lines = content.Count(b => b == (byte)'\n') + 1;
        try
        {
            Verify(Read(content, skip));
        }
        catch (TradeFileFormatException ex) when (ex.Message.StartsWith(Name, StringComparison.Ordinal) && ex.LineNumber >= 0 && ex.LineNumber <= lines
            && (!skip || ex.LineNumber == 0 || ex.Reason == "bad header"))
        {
        }
        catch (Exception ex)
        {
            failures.Add($"case {index} (skip {skip}): {ex}\n--- content ---\n{Encoding.UTF8.GetString(content[..Math.Min(content.Length, 2000)])}");
        }
    }

    private static List<TradeEvent> Read(byte[] content, bool skip) =>
        [.. TradeFileReader.ReadStream(new MemoryStream(content), Name, "XRPUSDT", new TradeFileReaderOptions { SkipBadLines = skip })];

    private static void Verify(List<TradeEvent> trades)
    {
        for (var i = 0; i < trades.Count; i++)
        {
            var t = trades[i];
            if (t.Price <= 0 || t.Price >= 100_000_000_000_000m || t.Quantity <= 0 || t.Quantity >= 100_000_000_000_000m)
            {
                throw new InvalidOperationException($"trade {t} is out of range");
            }

            if (i > 0 && t.Symbol == trades[i - 1].Symbol && (t.Time < trades[i - 1].Time || t.TradeId <= trades[i - 1].TradeId))
            {
                throw new InvalidOperationException($"trade {t} is out of order after {trades[i - 1]}");
            }
        }
    }

    // A valid file of a few trades, then each line mutated with probability mutationRate.
    private static byte[] MutatedFile(Random random, double mutationRate = 0.08)
    {
        var text = new StringBuilder();
        if (random.Next(10) == 0)
        {
            text.Append('\uFEFF');
        }

        if (random.Next(8) == 0)
        {
            text.Append("id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n");
        }

        var micro = random.Next(3) == 0;
        var time = micro ? 1735689600000000L : 1704067200000L;
        var id = (long)random.Next(1, 1_000_000);
        var count = random.Next(0, 30);
        for (var i = 0; i < count; i++)
        {
            id += random.Next(1, 3);
            time += random.Next(0, 500);
            var fields = new List<string>
            {
                id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (random.Next(1, 100_000) / 10_000m).ToString("F8", System.Globalization.CultureInfo.InvariantCulture),
                random.Next(1, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".00000000",
                "1.00000000",
                time.ToString(System.Globalization.CultureInfo.InvariantCulture),
                random.Next(2) == 0 ? "True" : "False",
                "True",
            };
            var line = random.NextDouble() < mutationRate ? Mutate(random, fields) : string.Join(',', fields);
            text.Append(line).Append(random.Next(15) == 0 ? "\r\n" : "\n");
        }

        if (random.Next(20) == 0)
        {
            text.Append(new string(' ', random.Next(3)));
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString()).ToList();
        if (random.Next(20) == 0 && bytes.Count > 0)
        {
            bytes[random.Next(bytes.Count)] = (byte)random.Next(256); // invalid UTF-8 or a stray byte anywhere
        }

        if (random.Next(30) == 0 && bytes.Count > 0)
        {
            bytes.RemoveRange(random.Next(bytes.Count), 1);
        }

        return [.. bytes];
    }

    private static string Mutate(Random random, List<string> fields)
    {
        switch (random.Next(12))
        {
            case 0:
                fields[random.Next(fields.Count)] = OddTokens[random.Next(OddTokens.Length)];
                break;
            case 1:
                fields.RemoveAt(random.Next(fields.Count));
                break;
            case 2:
                fields.Insert(random.Next(fields.Count + 1), OddTokens[random.Next(OddTokens.Length)]);
                break;
            case 3:
                (fields[1], fields[4]) = (fields[4], fields[1]);
                break;
            case 4:
                fields[0] = "1"; // an id going back or repeating
                break;
            case 5:
                fields[4] = "1000"; // a time going back
                break;
            case 6:
                fields[4] += "000"; // ms ↔ µs
                break;
            case 7:
                fields.Add(new string('x', random.Next(900, 3000))); // junk after the last column
                break;
            case 8:
                return string.Join(';', fields);
            case 9:
                return new string((char)random.Next(0x20, 0x3000), random.Next(0, 60));
            case 10:
                return string.Join(',', fields).Replace(',', '\r');
            default:
                fields[random.Next(fields.Count)] = "-" + fields[random.Next(fields.Count)];
                break;
        }

        return string.Join(',', fields);
    }

    private static byte[] DamagedZip(Random random, byte[] csv)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("XRPUSDT-trades-2024-01-01.csv").Open();
            entry.Write(csv);
        }

        var bytes = buffer.ToArray();
        switch (random.Next(4))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)]; // truncated
            case 1:
                for (var i = 0; i < random.Next(1, 8); i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256); // bit rot anywhere
                }

                return bytes;
            case 2:
                var data = Math.Min(bytes.Length - 1, 30 + "XRPUSDT-trades-2024-01-01.csv".Length + random.Next(0, Math.Max(1, csv.Length / 2)));
                bytes[data] ^= 0xFF; // inside the compressed data
                return bytes;
            default:
                return bytes; // intact: must read like the CSV
        }
    }
}

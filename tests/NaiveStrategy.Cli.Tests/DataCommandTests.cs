using NaiveStrategy.Cli;
using static NaiveStrategy.Cli.Tests.CliRun;

namespace NaiveStrategy.Cli.Tests;

public sealed class DataCommandTests : IDisposable
{
    private static readonly DateTimeOffset Jan30 = new(2024, 1, 30, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Data => Path.Combine(_dir, "data");

    [Fact]
    public async Task Download_DaysMonthsMissingBadAndDropped_ReportsEachAndTheFilesBacktest()
    {
        await using var server = await PublicDataServer.StartAsync();
        server.Add(PublicDataServer.Daily("XRPUSDT", "2024-01-30"), PublicDataServer.Zip("XRPUSDT-trades-2024-01-30.zip", 3000, Jan30), dropOnce: true);
        server.Add(PublicDataServer.Monthly("XRPUSDT", "2024-02"), PublicDataServer.Zip("XRPUSDT-trades-2024-02.zip", 500, Jan30.AddDays(2)));
        server.Add(PublicDataServer.Daily("BTCUSDT", "2024-01-30"), PublicDataServer.Zip("BTCUSDT-trades-2024-01-30.zip", 100, Jan30), badChecksum: true);
        server.Add(PublicDataServer.Daily("BTCUSDT", "2024-01-31"), PublicDataServer.Zip("BTCUSDT-trades-2024-01-31.zip", 100, Jan30.AddDays(1)));
        server.Add(PublicDataServer.Daily("BTCUSDT", "2024-02-01"), PublicDataServer.Zip("BTCUSDT-trades-2024-02-01.zip", 100, Jan30.AddDays(2)));
        string[] download = ["download", "--symbol", "XRPUSDT,BTCUSDT", "--from", "2024-01-30", "--to", "2024-02-29", "--out", Data, "--base-url", server.BaseUri.ToString()];

        var (code, output, error) = await Run(download);

        code.Should().Be(1, "one file failed its checksum");
        output.Should().MatchRegex(@"^downloaded 4 files, \d+\.\d kB, 1 failed\r?\n$");
        error.Should().Contain("XRPUSDT-trades-2024-01-31.zip: not published (404), skipped")
            .And.Contain("BTCUSDT-trades-2024-02.zip: no monthly file published, fetching its 29 days")
            .And.MatchRegex(@"BTCUSDT-trades-2024-01-30\.zip: failed: checksum mismatch \(expected [0-9a-f]{64}, got [0-9a-f]{64}\): file deleted");
        Directory.GetFiles(Data).Select(Path.GetFileName).Order(StringComparer.Ordinal).Should().Equal(
            "BTCUSDT-trades-2024-01-31.zip", "BTCUSDT-trades-2024-02-01.zip", "XRPUSDT-trades-2024-01-30.zip", "XRPUSDT-trades-2024-02.zip");
        server.Requests.Where(r => r.Path.EndsWith("XRPUSDT-trades-2024-01-30.zip", StringComparison.Ordinal)).Select(r => r.Range)
            .Should().HaveCount(2).And.Contain(r => r.StartsWith("bytes=", StringComparison.Ordinal) && r != "bytes=0-", "the dropped download resumes where it stopped");

        var backtest = await Run("backtest", "--log-level", "None", "--trades", Data);
        backtest.Code.Should().Be(0, backtest.Err);
        backtest.Out.Should().Contain("Backtest over 4 files (BTCUSDT, XRPUSDT)");

        var zips = server.Requests.Count(r => r.Path.EndsWith(".zip", StringComparison.Ordinal));
        var again = await Run(download);
        again.Out.Should().Be("downloaded 0 files, 0 B, 1 failed" + Environment.NewLine);
        server.Requests.Count(r => r.Path.EndsWith(".zip", StringComparison.Ordinal)).Should().Be(zips + 1, "files present and verified are not fetched again; only the failed one is");
    }

    [Fact]
    public async Task Download_PartialFileLeftBehind_ResumesWithARange()
    {
        await using var server = await PublicDataServer.StartAsync();
        var zip = PublicDataServer.Zip("XRPUSDT-trades-2024-01-30.zip", 2000, Jan30);
        server.Add(PublicDataServer.Daily("XRPUSDT", "2024-01-30"), zip);
        Directory.CreateDirectory(Data);
        File.WriteAllBytes(Path.Combine(Data, "XRPUSDT-trades-2024-01-30.zip.part"), zip[..1000]);

        var (code, output, _) = await Run("download", "--symbol", "XRPUSDT", "--from", "2024-01-30", "--to", "2024-01-30", "--out", Data, "--base-url", server.BaseUri.ToString());

        code.Should().Be(0);
        output.Should().Be($"downloaded 1 files, {DownloadSummary.Size(zip.Length)}, 0 failed" + Environment.NewLine);
        server.Requests.Should().Contain(("data/spot/daily/trades/XRPUSDT/XRPUSDT-trades-2024-01-30.zip", "bytes=1000-"));
        File.ReadAllBytes(Path.Combine(Data, "XRPUSDT-trades-2024-01-30.zip")).Should().Equal(zip);
    }

    [Theory]
    [InlineData("--from", "2024-02-30", "--from: '2024-02-30' is not a date (YYYY-MM-DD).")]
    [InlineData("--kind", "klines", "--kind: 'klines' is not trades or aggTrades.")]
    [InlineData("--base-url", "ftp://x/", "--base-url: 'ftp://x/' is not an http(s) URL.")]
    public async Task Download_BadOption_UsageErrorNamingIt(string option, string value, string message)
    {
        var args = new List<string> { "download", "--symbol", "XRPUSDT", "--from", "2024-01-01", "--to", "2024-01-02", "--out", Data };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (code, _, error) = await Run([.. args]);

        code.Should().Be(2);
        error.Should().StartWith($"error: {message}");
    }

    [Fact]
    public void Plan_WholeMonthAndPartialDays_MonthlyOnlyForTheWholeMonth()
    {
        var jobs = PublicDataDownload.Plan(new PublicDataDownloadOptions
        {
            Symbols = ["XRPUSDT"],
            From = new DateOnly(2024, 1, 31),
            To = new DateOnly(2024, 3, 1),
            OutDirectory = Data,
            BaseUri = new Uri("http://127.0.0.1/"),
        }).ToList();

        jobs.Select(j => j.Url).Should().Equal(
            "data/spot/daily/trades/XRPUSDT/XRPUSDT-trades-2024-01-31.zip",
            "data/spot/monthly/trades/XRPUSDT/XRPUSDT-trades-2024-02.zip",
            "data/spot/daily/trades/XRPUSDT/XRPUSDT-trades-2024-03-01.zip");
        jobs[1].Fallback.Should().HaveCount(29);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_000)]
    public async Task Backtest_FromCatalog_ReportIdenticalToTheFiles(int generated)
    {
        var trades = CliApp.BundledTrades;
        if (generated > 0)
        {
            trades = Path.Combine(_dir, "XRPUSDT-trades-2024-03-01.csv");
            (await Run("generate", "--out", trades, "--count", generated.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "3", "--start", "2024-03-01T00:00:00Z")).Code.Should().Be(0);
        }

        var catalog = Path.Combine(_dir, "catalog");
        var import = await Run("catalog", "import", "--trades", trades, "--out", catalog);
        import.Code.Should().Be(0, import.Err);
        import.Out.Should().StartWith($"imported {(generated > 0 ? generated : 20_000):N0} trades from 1 files into ");

        var fromFiles = await Backtest(trades, "files");
        var fromCatalog = await Backtest(catalog, "catalog");

        File.ReadAllBytes(fromCatalog.Json).Should().Equal(File.ReadAllBytes(fromFiles.Json));
        File.ReadAllBytes(fromCatalog.Orders).Should().Equal(File.ReadAllBytes(fromFiles.Orders));
        fromCatalog.Report.Should().Equal(fromFiles.Report);
    }

    [Fact]
    public async Task Sweep_FromCatalogWithFromTo_RanksAsTheFilesDo()
    {
        var trades = Path.Combine(_dir, "XRPUSDT-trades-2024-03-01.csv");
        (await Run("generate", "--out", trades, "--count", "30000", "--seed", "5", "--start", "2024-03-01T23:00:00Z")).Code.Should().Be(0);
        var catalog = Path.Combine(_dir, "catalog");
        (await Run("catalog", "import", "--trades", trades, "--out", catalog, "--compression", "snappy")).Code.Should().Be(0);
        string[] grid = ["--chunks", "1,3", "--buy-down", "0.0005,0.001", "--to", "2024-03-01"];

        var files = await Run(["sweep", "--trades", trades, .. grid]);
        var fromCatalog = await Run(["sweep", "--trades", catalog, .. grid]);

        files.Code.Should().Be(0, files.Err);
        fromCatalog.Code.Should().Be(0, fromCatalog.Err);
        Table(fromCatalog.Out).Should().Equal(Table(files.Out)).And.NotBeEmpty();
    }

    [Fact]
    public async Task CatalogImport_UnknownCompression_UsageErrorNamingIt()
    {
        var (code, _, error) = await Run("catalog", "import", "--trades", CliApp.BundledTrades, "--out", Path.Combine(_dir, "catalog"), "--compression", "gzip");

        code.Should().Be(2);
        error.Should().StartWith("error: --compression: 'gzip' is not none, snappy or zstd.");
        Directory.Exists(Path.Combine(_dir, "catalog")).Should().BeFalse();
    }

    private static string[] Table(string output) => [.. output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith('|') || l.StartsWith("fill model", StringComparison.Ordinal))];

    private async Task<(string Json, string Orders, string[] Report)> Backtest(string trades, string name)
    {
        var (json, orders) = (Path.Combine(_dir, name + ".json"), Path.Combine(_dir, name + ".csv"));
        var (code, output, error) = await Run("backtest", "--log-level", "None", "--trades", trades, "--json", json, "--orders-out", orders);
        code.Should().Be(0, error);

        // The report less its first line (which names the files read) and its wall-time line.
        return (json, orders, [.. output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith("Backtest over", StringComparison.Ordinal) && !l.StartsWith("wall time", StringComparison.Ordinal))]);
    }
}

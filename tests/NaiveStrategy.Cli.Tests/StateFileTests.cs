using System.Globalization;
using System.Security.Cryptography;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Sqlite;

namespace NaiveStrategy.Cli.Tests;

/// <summary>
/// One <c>live</c> per state file, across processes: a second one exits at once with code 1 and a
/// message naming the file and the process using it; <c>status</c> reads alongside and leaves the
/// files as they were; files live cannot use are refused with one line, no stack trace.
/// </summary>
public sealed class StateFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-state-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string State => Path.Combine(_dir, "state.db");

    [Fact]
    public async Task Live_StateOpenInAnotherProcess_ExitsOneNamingIt()
    {
        using var store = new SqliteStrategyStore(State);

        using var live = CliProcess.Live(State);

        (await live.WaitForExitAsync()).Should().Be(1);
        live.Error.Should().Be($"error: state file {State} is in use by process {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)} (since {Since()})\n");
        live.Output.Should().NotContain("live on", "it stops before connecting anywhere");
    }

    [Fact]
    public async Task Live_TwoStartedAtOnceOnNewState_OneRefusedOtherTradesFileComplete()
    {
        await using var server = await SandboxAsync();

        using var first = CliProcess.Live(State, Urls(server));
        using var second = CliProcess.Live(State, Urls(server));
        var firstExit = first.WaitForExitAsync();
        var ended = await Task.WhenAny(firstExit, second.WaitForExitAsync());

        var (refused, running) = ended == firstExit ? (first, second) : (second, first);
        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Be($"error: state file {State} is in use by process {running.Id.ToString(CultureInfo.InvariantCulture)} (since {Since()})\n");
        await CliProcess.UntilAsync(() => running.Output.Contains("live on", StringComparison.Ordinal) || running.HasExited, "the other has opened the file");
        running.HasExited.Should().BeFalse(running.Error);
        await running.KillAsync();
        using var store = SqliteStrategyStore.OpenReadOnly(State);
        store.SchemaVersion.Should().Be(SqliteStrategyStore.LatestSchemaVersion);
        Directory.GetFileSystemEntries(_dir).Should().NotContain(f => f.Contains(".creating", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Live_KilledThenStartedAgain_TakesTheFileOver()
    {
        await using var server = await SandboxAsync();
        using (var killed = CliProcess.Live(State, Urls(server)))
        {
            await CliProcess.UntilAsync(() => Owner() == killed.Id, "the first live owns the file");
            await killed.KillAsync();
        }

        Owner().Should().NotBeNull("kill -9 leaves its record behind");

        using var next = CliProcess.Live(State, Urls(server));

        await CliProcess.UntilAsync(() => Owner() == next.Id || next.HasExited, "the second live owns the file");
        next.HasExited.Should().BeFalse(next.Error);
    }

    [Fact]
    public async Task Status_WhileLiveRuns_PrintsItsTradersAndCreatesNothing()
    {
        await using var server = await SandboxAsync();
        using var live = CliProcess.Live(State, Urls(server));
        await CliProcess.UntilAsync(
            () =>
            {
                server.PublishTrade(new TradeEvent("XRPUSDT", Environment.TickCount64, 0.5m, 1_000m, DateTimeOffset.UtcNow));
                // The trade recording (on by default) creates recordings/ with its first trade, on its own thread.
                return File.Exists(State + "-shm") && Traders() > 0 && Directory.Exists(Path.Combine(_dir, "recordings"));
            },
            "live saves a trader and records a trade");
        var names = Names();

        using var status = CliProcess.Start(new Dictionary<string, string>(), "status", "--state", State);

        (await status.WaitForExitAsync()).Should().Be(0, status.Error);
        status.Output.Should().Contain("XRPUSDT On").And.Contain("trader ");
        Names().Should().Equal(names);
        live.HasExited.Should().BeFalse(live.Error);
    }

    [Fact]
    public async Task Status_NoWriter_PrintsAndLeavesEveryFileByteForByte()
    {
        using (var store = new SqliteStrategyStore(State))
        {
            store.SaveSettings(new SymbolSettings { Symbol = "XRPUSDT", Budget = 60m, Chunks = 3 }, SymbolStatus.On);
        }

        var before = Hashes();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CliApp.RunAsync(["status", "--state", State], output, error);

        code.Should().Be(0, error.ToString());
        output.ToString().Should().Contain("XRPUSDT On: chunks 3, budget 60");
        Hashes().Should().Equal(before);
    }

    [Fact]
    public async Task Live_ReadOnlyState_ExitsOneWithOneLineNamingFile()
    {
        new SqliteStrategyStore(State).Dispose();
        File.SetAttributes(State, FileAttributes.ReadOnly);
        var before = Hashes();

        using var live = CliProcess.Live(State);

        (await live.WaitForExitAsync()).Should().Be(1);
        live.Error.Should().StartWith($"error: The strategy store {State} cannot be written: it is read-only").And.EndWith("It was not changed.\n");
        live.Error.Count(c => c == '\n').Should().Be(1, "one line, no stack trace");
        Hashes().Should().Equal(before);
    }

    [Fact]
    public async Task Live_FileLockingDisabled_ExitsOneRefusingToRun()
    {
        using var live = CliProcess.Live(State, environment: new Dictionary<string, string> { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1" });

        (await live.WaitForExitAsync()).Should().Be(1);
        live.Error.Should().StartWith($"error: The strategy store {State} cannot be locked against a second process");
    }

    private static async Task<BinanceSandboxServer> SandboxAsync()
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(CliProcess.Key, CliProcess.Secret));
        options.Balances["USDT"] = 100_000m;
        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        return server;
    }

    private static (string, string, string) Urls(BinanceSandboxServer server) => (server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl);

    // The pid in the owner record, or null when there is none.
    private int? Owner()
    {
        try
        {
            var line = File.ReadLines(State + ".owner").FirstOrDefault();
            return line is not null && line.StartsWith("pid ", StringComparison.Ordinal) ? int.Parse(line[4..], CultureInfo.InvariantCulture) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // When the owner took the file, as the in-use message prints it.
    private string Since()
    {
        var since = File.ReadLines(State + ".owner").Single(l => l.StartsWith("since ", StringComparison.Ordinal))[6..];
        return DateTimeOffset.Parse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private int Traders()
    {
        using var store = SqliteStrategyStore.OpenReadOnly(State);
        return store.Load().Sum(s => s.Traders.Count);
    }

    private string[] Names() => [.. Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private Dictionary<string, string> Hashes() =>
        Directory.GetFiles(_dir).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
}

using System.Diagnostics;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class ReplayTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_704_067_200_000);

    [Fact]
    public async Task ReplayAsync_SpeedZero_PublishesAllAtOnceAndFillsCrossingOrders()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.PlaceAsync("replay-1", price: "0.5000", quantity: "100");
        var trades = new[]
        {
            new TradeEvent("XRPUSDT", 1, 0.51m, 10m, Start),
            new TradeEvent("XRPUSDT", 2, 0.49m, 500m, Start.AddHours(1)),
        };

        var watch = Stopwatch.StartNew();
        var count = await sandbox.Server.ReplayAsync(trades, 0);

        count.Should().Be(2);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        sandbox.Server.Exchange.Orders.Should().ContainSingle().Which.Status.Should().Be(OrderStatus.Filled);
    }

    [Fact]
    public async Task ReplayAsync_Speed_PacesByTradeTimestamps()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var trades = new[]
        {
            new TradeEvent("XRPUSDT", 1, 0.51m, 10m, Start),
            new TradeEvent("XRPUSDT", 2, 0.52m, 10m, Start.AddSeconds(3)),
        };

        var watch = Stopwatch.StartNew();
        await sandbox.Server.ReplayAsync(trades, 10);

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280));
    }

    [Fact]
    public async Task ReplayAsync_NegativeSpeed_Throws()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var replay = () => sandbox.Server.ReplayAsync([], -1);

        await replay.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task HostRunAsync_Started_PrintsThreeUrlsAndStopsOnCancel()
    {
        var options = new SandboxOptions();
        options.ApiKeys.Add(new SandboxApiKey("k", "s"));
        options.Symbols.Add(SymbolFilterPresets.XrpUsdt);
        options.ReplayTrades = [new TradeEvent("XRPUSDT", 1, 0.5m, 10m, Start)];
        options.ReplaySpeed = 0;
        var output = new LinesWriter();
        using var cts = new CancellationTokenSource();

        var run = SandboxHost.RunAsync(options, output, cts.Token);
        var lines = await output.WaitForLinesAsync(3);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        lines[0].Should().MatchRegex("^http://127\\.0\\.0\\.1:[0-9]+$");
        lines[1].Should().Be("ws" + lines[0][4..] + "/ws-api/v3");
        lines[2].Should().Be("ws" + lines[0][4..]);
    }

    private sealed class LinesWriter : StringWriter
    {
        private readonly TaskCompletionSource _threeLines = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<string[]> WaitForLinesAsync(int count)
        {
            await _threeLines.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return ToString().Split(NewLine, StringSplitOptions.RemoveEmptyEntries).Take(count).ToArray();
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            if (ToString().Split(NewLine, StringSplitOptions.RemoveEmptyEntries).Length >= 3)
            {
                _threeLines.TrySetResult();
            }

            return Task.CompletedTask;
        }
    }
}

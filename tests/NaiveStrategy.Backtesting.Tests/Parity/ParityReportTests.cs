using Microsoft.Extensions.Options;
using NaiveStrategy.Backtesting.Parity;
using NaiveStrategy.Backtesting.Recording;
using NaiveStrategy.Mock;
using static NaiveStrategy.Backtesting.Tests.SessionData;

namespace NaiveStrategy.Backtesting.Tests.Parity;

/// <summary>
/// A "live" run is the engine on the in-memory exchange with the recording's decorators (the marks it writes are the
/// ones live writes), so its journal matches the replay exactly; each test then changes the journal or the recording
/// the way one cause does, and checks that cause is named.
/// </summary>
public sealed class ParityReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-parity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SymbolSettings Settings => new()
    {
        Symbol = "XRPUSDT", Chunks = 3, Budget = 60m, BuyDownInterval = 0.002m, ProfitInterval = 0.002m, RebuyInterval = 0.004m,
    };

    private static TradeEvent[] Wave(int count = 3000)
    {
        var random = new Random(11);
        var price = 0.5m;
        var trades = new TradeEvent[count];
        for (var i = 0; i < count; i++)
        {
            price = Math.Round(price * (1 + (((decimal)random.NextDouble() - 0.5m) * 0.004m) + (i < count / 2 ? -0.0001m : 0.00012m)), 4);
            trades[i] = new TradeEvent("XRPUSDT", i + 1, price, 50m, T0.AddSeconds(i * 3));
        }

        return trades;
    }

    // lateBy: live hears of each fill that many trades after the trade that made it (its user-data stream behind).
    private async Task<ParityJournal> LiveAsync(IReadOnlyList<TradeEvent> trades, int lateBy = 0)
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp }, Balances = { ["USDT"] = Settings.Budget }, StartTime = T0 });
        using var late = new LateUpdates(exchange, lateBy);
        var store = new InMemoryStrategyStore();
        var marks = new ListJournal();
        await using var recorder = new TradeRecorder(Path.Combine(_dir, "recordings"));
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings);
        var marking = new MarkingStore(store, marks, recorder, exchange.Clock);
        await using (var engine = new NaiveStrategyEngine(late, new RecordingMarketData(exchange, recorder), Options.Create(options), new TraderIdGenerator("live"), exchange.Clock, store: marking))
        {
            using var session = new BacktestSession(engine, exchange);
            await session.StartAsync();
            foreach (var trade in trades)
            {
                late.Published();
                session.Replay(trade);
            }
        }

        await marking.DisposeAsync(); // every queued mark written

        return new ParityJournal(store.Intents, store.OrderUpdates, marks.ReadMarks());
    }

    private static Task<ParityReport> Report(ParityJournal journal, IEnumerable<TradeEvent> trades) => ParityReport.CreateAsync(journal, trades);

    [Theory]
    [InlineData(-1, 0, "options.DecisionTolerance")]
    [InlineData(0, -1, "options.LateReport")]
    public async Task CreateAsync_NegativeTolerance_RefusedNamingIt(int decisionMs, int lateMs, string name)
    {
        var options = new ParityOptions { DecisionTolerance = TimeSpan.FromMilliseconds(decisionMs), LateReport = TimeSpan.FromMilliseconds(lateMs) };

        var act = () => ParityReport.CreateAsync(new ParityJournal([], [], []), [], options);

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName(name);
    }

    [Fact]
    public async Task CreateAsync_SameTrades_EveryOrderMatched()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);

        var report = await Report(journal, trades);

        journal.Intents.Count.Should().BeGreaterThan(5);
        report.Summary.Should().Be($"parity: {journal.Intents.Count} live orders, {journal.Intents.Count} matched, 0 diverged");
        report.Orders.Should().OnlyContain(o => o.Match == ParityMatch.Matched && o.Cause == null);
        var (live, replay) = (report.LiveEquity["XRPUSDT"], report.ReplayEquity["XRPUSDT"]);
        live.Select(p => p.Time).Should().Equal(replay.Select(p => p.Time));
        live[^1].Should().Be(replay[^1], "the same orders filled; a live fill is marked at the last trade received before its update, so the curves may differ for a trade in between");
    }

    [Fact]
    public async Task CreateAsync_LiveHeardOfFillsLate_TheBacktestDivergesAndTheReplayTimedAsLiveExplainsItAsLatency()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades, lateBy: 7);

        var report = await Report(journal, trades);
        var untimed = await ParityReport.CreateAsync(journal, trades, new ParityOptions { LiveTiming = false });

        // A backtest hears of a fill with the trade that made it: the traders that replace finished ones buy at other
        // prices. Replayed as live heard its fills, those orders are live's: every divergence is latency.
        report.Diverged.Should().BePositive();
        report.Causes.Keys.Should().Equal(DivergenceCause.Latency);
        report.Orders.Where(o => o.Cause is not null && o.InheritedFrom is null).Should().OnlyContain(o => o.Detail!.Contains("replayed as live heard its updates", StringComparison.Ordinal));
        untimed.Unexplained.Should().Be(0);
        untimed.Causes.Should().ContainKey(DivergenceCause.Latency);
    }

    // How live learned of its updates, written into the journal's update marks as a live adapter would have: the
    // first update of each order (its placement's answer or not) and each fill.
    private static ParityJournal Learned(ParityJournal journal, OrderUpdateSource? answer, Func<RunMark, RunMark> fill)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var marks = journal.Marks.Select(m => m.Kind != RunMarkKind.Update ? m
            : seen.Add(m.ClientOrderId!) && m.Status == OrderStatus.New ? m with { Source = answer ?? OrderUpdateSource.Query }
            : m.Status is OrderStatus.Filled or OrderStatus.PartiallyFilled ? fill(m)
            : m).ToArray();
        return journal with { Marks = marks };
    }

    private static async Task<ParityReport> LatencyAsync(ParityJournal journal, IEnumerable<TradeEvent> trades, ParityOptions? options = null)
    {
        var report = await ParityReport.CreateAsync(journal, trades, options);
        report.Unexplained.Should().Be(0);
        report.Causes.Keys.Should().Equal(DivergenceCause.Latency);
        return report;
    }

    [Fact]
    public async Task CreateAsync_PlacementAnsweredFillsLearnedByQuery_LatencyReportLost()
    {
        var trades = Wave();
        var journal = Learned(await LiveAsync(trades, lateBy: 7), OrderUpdateSource.Answer, m => m with { Source = OrderUpdateSource.Query });

        var report = await LatencyAsync(journal, trades);

        report.LatencyCauses.Keys.Should().Equal(LatencyCause.ReportLost);
        report.Summary.Should().MatchRegex(@"^parity: \d+ live orders, \d+ matched, \d+ diverged: \d+ latency \(report lost\)$");
        report.Orders.Where(o => o.Cause is not null && o.InheritedFrom is null).Should().OnlyContain(o => o.Detail!.Contains("the order stream had not delivered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_PlacementAnswerLostOrderLearnedByQuery_LatencyAnswerLost()
    {
        var trades = Wave();
        var journal = Learned(await LiveAsync(trades, lateBy: 7), answer: null, m => m with { Source = OrderUpdateSource.Query });

        var report = await LatencyAsync(journal, trades);

        report.LatencyCauses.Keys.Should().Equal(LatencyCause.AnswerLost);
        report.Summary.Should().EndWith(" latency (answer lost)");
        using var csv = new StringWriter();
        report.WriteCsv(csv);
        csv.ToString().Split('\n').Skip(1).Where(l => l.Length > 0 && !l.Contains(",matched,", StringComparison.Ordinal)).Should().OnlyContain(l => l.Contains(",latency (answer lost),", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_StreamReportsReordered_LatencyReordered()
    {
        var trades = Wave();
        var journal = Learned(await LiveAsync(trades, lateBy: 7), OrderUpdateSource.Answer, m => m with { Source = OrderUpdateSource.Stream, Reordered = true });

        var report = await LatencyAsync(journal, trades);

        report.LatencyCauses.Keys.Should().Equal(LatencyCause.Reordered);
        report.Summary.Should().EndWith(" latency (reordered)", string.Join("\n", report.Orders.Where(o => o.Cause is not null && o.LatencyCause is null).Select(o => $"{o.Key} {o.Match} {o.Detail}")));
    }

    [Fact]
    public async Task CreateAsync_StreamReportsInOrderAndOnTime_PlainLatency()
    {
        var trades = Wave();
        var journal = Learned(await LiveAsync(trades, lateBy: 7), OrderUpdateSource.Answer, m => m with { Source = OrderUpdateSource.Stream, ExchangeTime = m.Time.AddMilliseconds(-20) });

        var report = await LatencyAsync(journal, trades);

        report.LatencyCauses.Should().BeEmpty("nothing in the journal says why live heard late");
        report.Summary.Should().EndWith(" latency");
        report.Orders.Where(o => o.Cause is not null && o.InheritedFrom is null).Should().OnlyContain(o => o.Detail!.Contains("on the order stream, 20 ms after the exchange made it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_StreamReportsLaterThanLateReport_LatencyReportLate()
    {
        var trades = Wave();
        var journal = Learned(await LiveAsync(trades, lateBy: 7), OrderUpdateSource.Answer, m => m with { Source = OrderUpdateSource.Stream, ExchangeTime = m.Time.AddMilliseconds(-250) });

        var late = await LatencyAsync(journal, trades);
        var tolerant = await LatencyAsync(journal, trades, new ParityOptions { LateReport = TimeSpan.FromMilliseconds(300) });

        late.LatencyCauses.Keys.Should().Equal(LatencyCause.ReportLate);
        late.Summary.Should().EndWith(" latency (report late)");
        tolerant.LatencyCauses.Should().BeEmpty();
    }

    [Fact]
    public async Task CreateAsync_RecordingMissesTradesThatFilledLive_StreamGap()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var filled = journal.Updates.Where(u => u.Status == OrderStatus.Filled && u.Side == OrderSide.Buy).Skip(3).First();
        var fillTrade = journal.Marks.Last(m => m.ClientOrderId == filled.ClientOrderId && m.Kind == RunMarkKind.Update).TradeId!.Value;

        // Live received neither the trade that filled its BUY nor the next minutes; the exchange matched against them.
        var recorded = trades.Where(t => t.TradeId < fillTrade - 2 || t.TradeId > fillTrade + 100).ToArray();
        var report = await Report(journal, recorded);

        report.Unexplained.Should().Be(0);
        report.Causes.Should().ContainKey(DivergenceCause.StreamGap);
        report.Orders.First(o => o.Match != ParityMatch.Matched).Cause.Should().Be(DivergenceCause.StreamGap);
        report.Summary.Should().Contain("stream gap");
    }

    [Fact]
    public async Task CreateAsync_DecidingTradeInARecordedGap_StreamGapWithTheSidecarsReason()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var intent = journal.Marks.Where(m => m.Kind == RunMarkKind.Intent).Skip(2).First();
        var decided = intent.TradeId!.Value;

        // The recorder dropped the trade live decided on and the next minutes, and said so in its sidecar.
        var recorded = trades.Where(t => t.TradeId < decided - 1 || t.TradeId > decided + 60).ToArray();
        var gap = new RecordedGap("XRPUSDT", decided - 2, decided + 61, "dropped by the recorder (queue full)");
        var report = await Report(journal with { Gaps = [gap] }, recorded);

        var row = report.Orders.First(o => o.LiveClientOrderId == intent.ClientOrderId);
        row.Cause.Should().Be(DivergenceCause.StreamGap);
        row.Detail.Should().Contain($"trade {decided}").And.Contain("dropped by the recorder (queue full)");
        report.Unexplained.Should().Be(0);
    }

    [Fact]
    public async Task Read_SidecarTheRecorderWrote_OneGapPerJumpWithItsReason()
    {
        var dir = Path.Combine(_dir, "gaps");
        await using (var recorder = new TradeRecorder(dir))
        {
            foreach (var trade in Wave(40).Where(t => t.TradeId is < 10 or > 25))
            {
                recorder.Record(trade);
            }
        }

        var gaps = RecordedGap.Read([dir]);

        gaps.Should().Equal(new RecordedGap("XRPUSDT", 9, 26, "stream"));
        gaps[0].Missing.Should().Be(16);
    }

    [Fact]
    public async Task Read_RecordingStartedAgainOnTheSameFile_GapBetweenRunsAndNoTradeTwice()
    {
        var dir = Path.Combine(_dir, "runs");
        var trades = Wave(60);
        foreach (var run in new[] { trades[..20], trades[15..25], trades[40..] })
        {
            await using var recorder = new TradeRecorder(dir);
            foreach (var trade in run)
            {
                recorder.Record(trade);
            }
        }

        RecordedGap.Read([dir]).Should().Equal(new RecordedGap("XRPUSDT", 25, 41, "between runs (the recording started again)"));
        NaiveStrategy.Backtesting.PublicData.TradeFileReader.Open([dir]).Select(t => t.TradeId).Should().Equal(trades.Where(t => t.TradeId is <= 25 or > 40).Select(t => t.TradeId));
    }

    [Fact]
    public void Read_MalformedRow_FormatExceptionNamingFileAndLine()
    {
        var file = Path.Combine(_dir, "XRPUSDT" + TradeRecorder.GapsSuffix);
        File.WriteAllText(file, TradeRecorder.GapsHeader + "\n2024-01-01T00:00:00Z,2024-01-01T00:00:01Z,x,12,1,stream\n");

        var act = () => RecordedGap.Read([_dir]);

        act.Should().Throw<FormatException>().WithMessage($"{file} line 2: *");
    }

    [Fact]
    public async Task CreateAsync_UnexplainedAfterAnExplainedDivergenceOfTheSameTrader_InheritsAndSaysSo()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var buy = journal.Intents.First(i => i.Request.ClientOrderId.EndsWith("-1-b", StringComparison.Ordinal)).Request;
        var sell = journal.Intents.First(i => i.Request.ClientOrderId.EndsWith("-1-s", StringComparison.Ordinal));
        var other = journal.Intents.First(i => i.Request.ClientOrderId.EndsWith("-3-b", StringComparison.Ordinal));

        // Live's first BUY was refused (exchange reject), so trader 1 never sold: the replay's SELL of trader 1 is explained
        // by nothing but that. Trader 3's BUY one tick off has no earlier divergence of its own: unexplained, whatever came before.
        var rejected = new OrderUpdate("XRPUSDT", buy.ClientOrderId, 0, buy.Side, buy.Price, buy.Quantity, 0m, OrderStatus.Rejected, 0m, null, T0);
        var intents = journal.Intents.Where(i => i != sell).Select(i => i == other ? i with { Request = i.Request with { Price = i.Request.Price + 0.0001m } } : i).ToArray();
        var updates = journal.Updates.Where(u => u.ClientOrderId != buy.ClientOrderId && u.ClientOrderId != sell.Request.ClientOrderId).Append(rejected).ToArray();
        var report = await Report(journal with { Intents = intents, Updates = updates }, trades);

        report.Orders.Single(o => o.Key == "1-b").Should().Match<ParityOrder>(o => o.Cause == DivergenceCause.ExchangeReject && o.InheritedFrom == null);
        report.Orders.Single(o => o.Key == "1-s").Should().Match<ParityOrder>(o => o.Match == ParityMatch.ReplayOnly && o.Cause == DivergenceCause.ExchangeReject && o.InheritedFrom == "1-b");
        report.Orders.Where(o => o.Key == "3-b").Should().HaveCount(2).And.OnlyContain(o => o.Cause == DivergenceCause.Unexplained && o.InheritedFrom == null);
        using var csv = new StringWriter();
        report.WriteCsv(csv);
        csv.ToString().Should().Contain(",1-s,replay only,exchange reject,1-b,SELL,");
    }

    [Fact]
    public async Task CreateAsync_PriceCrossedBeforeTheAck_Latency()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var (buy, decided) = FilledBuy(journal);
        var crossing = trades.First(t => t.TradeId > decided && t.Price < buy.Price).TradeId;

        // Live's BUY reached the book only after the trade that crossed it, and was still open at the end.
        var marks = journal.Marks.Select(m => m.ClientOrderId == buy.ClientOrderId && m.Kind == RunMarkKind.Update ? m with { TradeId = crossing + 1 } : m).ToArray();
        var updates = journal.Updates.Where(u => u.ClientOrderId != buy.ClientOrderId || u.Status == OrderStatus.New).ToArray();
        var report = await Report(journal with { Marks = marks, Updates = updates }, trades);

        var row = report.Orders.First(o => o.LiveClientOrderId == buy.ClientOrderId);
        row.Match.Should().Be(ParityMatch.Differs);
        row.Cause.Should().Be(DivergenceCause.Latency);
        row.Detail.Should().Contain($"trade {crossing}");
        report.Unexplained.Should().Be(0);
    }

    [Fact]
    public async Task CreateAsync_LiveFilledWhereReplayWouldNot_FillModel()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var open = journal.Intents.Last(i => !journal.Updates.Any(u => u.ClientOrderId == i.Request.ClientOrderId && u.Status == OrderStatus.Filled));
        var r = open.Request;
        var fill = new OrderUpdate("XRPUSDT", r.ClientOrderId, 999, r.Side, r.Price, r.Quantity, r.Quantity, OrderStatus.Filled, 0m, null, T0);
        var last = journal.Marks.Last(m => m.ClientOrderId == r.ClientOrderId);

        var report = await Report(journal with { Updates = [.. journal.Updates, fill], Marks = [.. journal.Marks, last with { Kind = RunMarkKind.Update, Status = OrderStatus.Filled }] }, trades);

        var row = report.Orders.Single(o => o.LiveClientOrderId == r.ClientOrderId);
        (row.Match, row.Cause).Should().Be((ParityMatch.Differs, DivergenceCause.FillModel));
        report.Summary.Should().EndWith("1 diverged: 1 fill model");
    }

    [Fact]
    public async Task CreateAsync_ExchangeRefusedLiveOrder_ExchangeReject()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var last = journal.Intents[^1].Request;
        var rejected = new OrderUpdate("XRPUSDT", last.ClientOrderId, 0, last.Side, last.Price, last.Quantity, 0m, OrderStatus.Rejected, 0m, null, T0);

        var report = await Report(journal with { Updates = [.. journal.Updates.Where(u => u.ClientOrderId != last.ClientOrderId), rejected] }, trades);

        report.Orders.Single(o => o.LiveClientOrderId == last.ClientOrderId).Cause.Should().Be(DivergenceCause.ExchangeReject);
        report.Summary.Should().EndWith("1 diverged: 1 exchange reject");
    }

    [Fact]
    public async Task CreateAsync_OrderOpenAcrossARestart_Restart()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var (buy, _) = FilledBuy(journal);
        var marks = journal.Marks.ToList();
        var firstUpdate = marks.FindIndex(m => m.ClientOrderId == buy.ClientOrderId && m.Kind == RunMarkKind.Update);
        var start = marks.First(m => m.Kind == RunMarkKind.Start);

        // Live stopped after placing the BUY and started again; its fill was found by reconciliation, later than the replay's.
        marks.Insert(firstUpdate + 1, start with { TradeId = null, MarketTime = null });
        var updates = journal.Updates.Select(u => u.ClientOrderId == buy.ClientOrderId && u.Status == OrderStatus.Filled ? u with { Status = OrderStatus.PartiallyFilled, ExecutedQuantity = u.ExecutedQuantity / 2 } : u).ToArray();
        var report = await Report(journal with { Marks = marks, Updates = updates }, trades);

        report.Orders.Single(o => o.LiveClientOrderId == buy.ClientOrderId).Cause.Should().Be(DivergenceCause.Restart);
        report.Unexplained.Should().Be(0);
    }

    [Fact]
    public async Task CreateAsync_SettingsChangedWhileRunning_SettingsChange()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var at = journal.Marks.First(m => m.Kind == RunMarkKind.Intent).TradeId!.Value + 10;

        // The journal says the budget changed at a trade: the replay applies it there; live's orders (made without it) diverge.
        var change = new RunMark("XRPUSDT", RunMarkKind.Settings, T0) { TradeId = at, MarketTime = trades[(int)at - 1].Time, Settings = Settings with { Budget = 30m } };
        var report = await Report(journal with { Marks = [.. journal.Marks, change] }, trades);

        report.Causes.Should().ContainKey(DivergenceCause.SettingsChange);
        report.Unexplained.Should().Be(0);
    }

    [Fact]
    public async Task CreateAsync_GuardExitLiveOnly_Guard()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var exit = new OrderIntent("XRPUSDT", "", new OrderRequest("XRPUSDT", "live-XRPUSDT-x1", OrderSide.Sell, 0m, 10m) { Type = OrderType.Market }, T0);

        var report = await Report(journal with { Intents = [.. journal.Intents, exit] }, trades);

        report.Orders.Single(o => o.LiveClientOrderId == exit.Request.ClientOrderId).Should().Match<ParityOrder>(o => o.Match == ParityMatch.LiveOnly && o.Cause == DivergenceCause.Guard);
    }

    [Fact]
    public async Task Summary_UnexplainedDivergence_CountedAndShownFirst()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var first = journal.Intents[0];
        var last = journal.Intents[^1].Request;
        var rejected = new OrderUpdate("XRPUSDT", last.ClientOrderId, 0, last.Side, last.Price, last.Quantity, 0m, OrderStatus.Rejected, 0m, null, T0);

        // Live's first BUY one tick lower than the strategy computes: nothing explains it.
        var intents = journal.Intents.Select(i => i == first ? i with { Request = i.Request with { Price = i.Request.Price - 0.0001m } } : i).ToArray();
        var report = await Report(journal with { Intents = intents, Updates = [.. journal.Updates.Where(u => u.ClientOrderId != last.ClientOrderId), rejected] }, trades);

        report.Unexplained.Should().Be(2, "the live BUY and the replay's BUY at another price");
        report.Summary.Should().Be($"parity: {intents.Length} live orders, {intents.Length - 2} matched, 3 diverged: 2 unexplained, 1 exchange reject");
    }

    [Fact]
    public async Task CreateAsync_NoRunMarks_ParityExceptionNamingTheRecording()
    {
        var act = () => Report(new ParityJournal([new OrderIntent("XRPUSDT", "t", new OrderRequest("XRPUSDT", "a-1-b", OrderSide.Buy, 1m, 1m), T0)], [], []), Wave(10));

        (await act.Should().ThrowAsync<ParityException>()).WithMessage("*no run marks*--record*");
    }

    [Fact]
    public async Task WriteCsv_OneRowPerOrderWithHeader()
    {
        var trades = Wave();
        var journal = await LiveAsync(trades);
        var report = await Report(journal, trades);
        using var writer = new StringWriter();

        report.WriteCsv(writer);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("symbol,key,match,cause,inherited_from,side,price,quantity,");
        lines.Should().HaveCount(report.Orders.Count + 1);
        lines[1].Should().StartWith("XRPUSDT,1-b,matched,,,BUY,");
    }

    [Fact]
    public void KeyOf_TraderOrdersAndGuardExits_SequenceSideAndAttempt()
    {
        ParityReport.KeyOf("mx3k9-XRPUSDT-12-b").Should().Be("12-b");
        ParityReport.KeyOf("replay-XRPUSDT-12-b3").Should().Be("12-b3");
        ParityReport.KeyOf("replay-XRPUSDT-4-s").Should().Be("4-s");
        ParityReport.KeyOf("mx3k9-XRPUSDT-x2").Should().Be("x2");
    }

    private static (OrderUpdate Buy, long Decided) FilledBuy(ParityJournal journal)
    {
        var buy = journal.Updates.First(u => u.Status == OrderStatus.Filled && u.Side == OrderSide.Buy);
        return (buy, journal.Marks.First(m => m.ClientOrderId == buy.ClientOrderId && m.Kind == RunMarkKind.Intent).TradeId!.Value);
    }

    // The exchange as a live engine sees it when its order updates come a few trades late.
    private sealed class LateUpdates : NaiveStrategy.Testing.DelegatingExchange, IDisposable
    {
        private readonly int _lateBy;
        private readonly System.Reactive.Subjects.Subject<OrderUpdate> _updates = new();
        private readonly Queue<(int Due, OrderUpdate Update)> _held = new();
        private readonly IDisposable _subscription;
        private int _published;

        public LateUpdates(InMemoryExchange inner, int lateBy)
            : base(inner)
        {
            _lateBy = lateBy;
            _subscription = inner.OrderUpdates.Subscribe(u =>
            {
                if (_lateBy == 0)
                {
                    _updates.OnNext(u);
                }
                else
                {
                    _held.Enqueue((_published + _lateBy, u));
                }
            });
        }

        public override IObservable<OrderUpdate> OrderUpdates => _updates;

        // Before the next trade is published.
        public void Published()
        {
            _published++;
            while (_held.TryPeek(out var h) && h.Due <= _published)
            {
                _updates.OnNext(_held.Dequeue().Update);
            }
        }

        public void Dispose()
        {
            _subscription.Dispose();
            _updates.Dispose();
        }
    }

    private sealed class ListJournal : IRunJournal
    {
        private readonly List<RunMark> _marks = [];

        public void RecordMarks(IReadOnlyList<RunMark> marks)
        {
            lock (_marks)
            {
                _marks.AddRange(marks);
            }
        }

        public IReadOnlyList<RunMark> ReadMarks(string? symbol = null)
        {
            lock (_marks)
            {
                return [.. _marks.Where(m => symbol is null || m.Symbol == symbol)];
            }
        }
    }
}

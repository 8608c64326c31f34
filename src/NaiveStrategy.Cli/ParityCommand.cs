using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.Parity;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Backtesting.Recording;
using NaiveStrategy.Sqlite;

namespace NaiveStrategy.Cli;

/// <summary>
/// <c>parity --state naive-state.db --trades recordings/ [--out parity.csv] [--plot parity.png]</c>: does the backtest
/// predict live? Replays what a live run recorded and prints how its orders compare (<see cref="ParityReport"/>).
/// </summary>
internal static class ParityCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var cl = new CommandLine("parity", args);
        var state = cl.String("state") ?? "naive-state.db";
        if (!File.Exists(state))
        {
            throw new UsageException($"--state '{state}' does not exist.");
        }

        var trades = cl.Strings("trades") is { Count: > 0 } given ? given : [Path.Combine(Path.GetDirectoryName(Path.GetFullPath(state))!, "recordings")];
        var report = await CreateAsync(state, trades, cl.Has(CliApp.PartialFillsFlag) ? FillModel.Partial : FillModel.Full, cancellationToken);
        await output.WriteLineAsync(report.Summary);
        if (cl.String("out") is { } csv)
        {
            await using var writer = new StreamWriter(csv);
            report.WriteCsv(writer);
        }

        if (cl.String("plot") is { } png)
        {
            Save(png, report);
        }

        return 0;
    }

    /// <summary>The report of a state file (read only: works while live runs) and its recording.</summary>
    internal static async Task<ParityReport> CreateAsync(string state, IReadOnlyList<string> trades, FillModel model, CancellationToken cancellationToken)
    {
        ParityJournal journal;
        using (var store = SqliteStrategyStore.OpenReadOnly(state))
        {
            journal = new ParityJournal(store.ReadIntents(), store.ReadOrderUpdates(), store.ReadMarks()) { Gaps = RecordedGap.Read(trades) };
        }

        try
        {
            return await ParityReport.CreateAsync(journal, TradeFileReader.Open(trades), new ParityOptions { FillModel = model }, cancellationToken);
        }
        catch (ParityException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
        catch (FileNotFoundException ex)
        {
            throw new InvalidOperationException($"--trades: {ex.Message}", ex);
        }
    }

    // Both equity curves per symbol on one chart; each divergence a marker on live's curve, at its decision.
    private static void Save(string path, ParityReport report)
    {
        var plot = new ScottPlot.Plot();
        foreach (var (symbol, live) in report.LiveEquity)
        {
            var replay = report.ReplayEquity[symbol];
            Line(plot, live, $"{symbol} live");
            Line(plot, replay, $"{symbol} backtest");
            var diverged = report.Orders.Where(o => o.Symbol == symbol && o.Match != ParityMatch.Matched && (o.LiveDecidedAt ?? o.ReplayDecidedAt) is not null).ToArray();
            if (diverged.Length > 0)
            {
                var times = diverged.Select(o => (o.LiveDecidedAt ?? o.ReplayDecidedAt)!.Value).ToArray();
                var marks = plot.Add.ScatterPoints(times.Select(t => t.UtcDateTime.ToOADate()).ToArray(), times.Select(t => (double)EquityAt(live, t)).ToArray());
                marks.LegendText = $"{symbol} divergences ({diverged.Length})";
                marks.MarkerSize = 8;
            }
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Left.Label.Text = "equity (quote)";
        plot.Title($"live and backtest: {report.Summary}");
        plot.ShowLegend();
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        plot.SavePng(path, 1200, 600);
    }

    private static void Line(ScottPlot.Plot plot, IReadOnlyList<EquityPoint> points, string label)
    {
        var line = plot.Add.Scatter(points.Select(p => p.Time.UtcDateTime.ToOADate()).ToArray(), points.Select(p => (double)p.Equity).ToArray());
        line.LegendText = label;
        line.MarkerSize = 0;
    }

    private static decimal EquityAt(IReadOnlyList<EquityPoint> points, DateTimeOffset time) =>
        points.LastOrDefault(p => p.Time <= time) is { Time: var t } point && t != default ? point.Equity : points[0].Equity;
}

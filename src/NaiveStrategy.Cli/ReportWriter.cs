using System.Globalization;
using NaiveStrategy.Mock;
using Spectre.Console;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Cli;

/// <summary>Renders reports as tables on any writer (a terminal, a file, a test's StringWriter).</summary>
internal static class ReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IAnsiConsole Console(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    public static void Backtest(TextWriter output, SymbolSettings settings, BacktestResult result)
    {
        var console = Console(output);
        console.Profile.Width = 120;
        console.WriteLine($"Settings: chunks {settings.Chunks}, budget {settings.Budget.ToString(Inv)} per symbol, buy_down {settings.BuyDownInterval.ToString(Inv)}, profit {settings.ProfitInterval.ToString(Inv)}, rebuy {settings.RebuyInterval.ToString(Inv)}, fee {settings.FeeRate.ToString(Inv)}{(settings.RepricesStaleBuys ? ", max_buy_wait " + SettingsGrid.DescribeStaleBuyRule(settings) : "")}{GuardOptions.Describe(settings)}");
        console.WriteLine(Describe(result.FillModel));
        var table = new Table().Border(TableBorder.Ascii).AddColumn("figure");
        foreach (var s in result.Symbols)
        {
            table.AddColumn(new TableColumn(s.Symbol).RightAligned());
        }

        if (result.Symbols.Count > 1)
        {
            table.AddColumn(new TableColumn("total").RightAligned());
        }

        Row("from", s => $"{s.From:yyyy-MM-dd HH:mm:ss}", null);
        Row("to", s => $"{s.To:yyyy-MM-dd HH:mm:ss}", null);
        Row("trades replayed", s => s.TradesReplayed.ToString("N0", Inv), r => r.Sum(s => s.TradesReplayed).ToString("N0", Inv));
        Row("orders placed", s => s.OrdersPlaced.ToString(Inv), r => r.Sum(s => s.OrdersPlaced).ToString(Inv));
        Row("orders filled", s => s.OrdersFilled.ToString(Inv), r => r.Sum(s => s.OrdersFilled).ToString(Inv));
        Row("orders canceled", s => s.OrdersCanceled.ToString(Inv), r => r.Sum(s => s.OrdersCanceled).ToString(Inv));
        Row("orders rejected", s => s.OrdersRejected.ToString(Inv), r => r.Sum(s => s.OrdersRejected).ToString(Inv));
        Row("traders started", s => s.TradersStarted.ToString(Inv), r => r.Sum(s => s.TradersStarted).ToString(Inv));
        if (result.TradersCrashed > 0)
        {
            // Only when it happened: the report of a normal run stays as it was.
            Row("traders crashed", s => s.TradersCrashed.ToString(Inv), r => r.Sum(s => s.TradersCrashed).ToString(Inv));
        }

        Row("max concurrent traders", s => s.MaxConcurrentTraders.ToString(Inv), null);
        Row("cycles completed", s => s.CyclesCompleted.ToString(Inv), r => r.Sum(s => s.CyclesCompleted).ToString(Inv));
        Row("fees paid", s => Money(s.FeesPaid), r => Money(r.Sum(s => s.FeesPaid)));
        Row("fills maker / taker", s => $"{s.MakerFills.ToString(Inv)} / {s.TakerFills.ToString(Inv)}", r => $"{r.Sum(s => s.MakerFills).ToString(Inv)} / {r.Sum(s => s.TakerFills).ToString(Inv)}");
        Row("fees maker / taker", s => $"{Money(s.MakerFees)} / {Money(s.TakerFees)}", r => $"{Money(r.Sum(s => s.MakerFees))} / {Money(r.Sum(s => s.TakerFees))}");
        Row("realized PnL (net of fees)", s => Money(s.RealizedPnl), r => Money(r.Sum(s => s.RealizedPnl)));
        Row("open position", s => s.OpenPosition.ToString(Inv), null);
        Row("dust outside traders", s => $"{s.Dust.ToString(Inv)} (step {s.StepSize.ToString(Inv)})", null);
        if (result.Symbols.Any(s => s.FundsWaits > 0))
        {
            Row("waited for funds", s => s.FundsWaits.ToString(Inv), r => r.Sum(s => s.FundsWaits).ToString(Inv));
        }
        Row("last price", s => s.LastPrice.ToString(Inv), null);
        Row("unrealized PnL", s => Money(s.UnrealizedPnl), r => Money(r.Sum(s => s.UnrealizedPnl)));
        Row("total PnL", s => Money(s.TotalPnl), r => Money(r.Sum(s => s.TotalPnl)));
        Row("return on budget", s => Percent(s.StrategyReturn), null);
        Row("max drawdown", s => $"{Money(s.MaxDrawdown)} ({Percent(s.MaxDrawdownFraction)})", null);
        Row("buy and hold", s => Percent(s.BuyAndHoldReturn), null);
        console.Write(table);
        GuardOptions.WriteFired(output, result);

        void Row(string name, Func<SymbolReport, string> cell, Func<IReadOnlyList<SymbolReport>, string>? total)
        {
            var cells = new List<string> { name };
            cells.AddRange(result.Symbols.Select(cell));
            if (result.Symbols.Count > 1)
            {
                cells.Add(total?.Invoke(result.Symbols) ?? "");
            }

            table.AddRow(cells.Select(c => new Text(c)).ToArray());
        }
    }

    public static void Sweep(TextWriter output, IReadOnlyList<(SymbolSettings Settings, BacktestResult Result)> runs)
    {
        var console = Console(output);
        console.Profile.Width = 160;
        foreach (var model in runs.Select(r => r.Result.FillModel).Distinct())
        {
            console.WriteLine(Describe(model));
        }

        var table = new Table().Border(TableBorder.Ascii);
        var stale = runs.Any(r => r.Settings.RepricesStaleBuys);
        var guards = runs.Any(r => r.Settings.HasGuards);
        foreach (var column in new[] { "rank", "chunks", "budget", "buy_down", "profit", "rebuy", "fee" }.Concat(stale ? ["max_buy_wait"] : []).Concat(guards ? ["guards", "fired"] : []).Concat(["cycles", "orders", "fees", "realized", "total PnL", "return", "max DD"]))
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        var ranked = runs
            .Select(r => (r.Settings, Pnl: r.Result.Symbols.Sum(s => s.TotalPnl), r.Result))
            .OrderByDescending(r => r.Pnl)
            .ThenBy(r => r.Settings.Chunks).ThenBy(r => r.Settings.BuyDownInterval).ThenBy(r => r.Settings.ProfitInterval).ThenBy(r => r.Settings.RebuyInterval).ThenBy(r => r.Settings.Budget).ThenBy(r => r.Settings.FeeRate)
            .ThenBy(r => r.Settings.MaxBuyWait ?? TimeSpan.MaxValue).ThenBy(r => r.Settings.MaxBuyDistance ?? decimal.MaxValue).ThenBy(r => GuardOptions.Short(r.Settings), StringComparer.Ordinal)
            .ToList();
        for (var i = 0; i < ranked.Count; i++)
        {
            var (s, pnl, result) = ranked[i];
            var symbols = result.Symbols;
            var budget = s.Budget * Math.Max(1, symbols.Count);
            string[] setting = [(i + 1).ToString(Inv), s.Chunks.ToString(Inv), s.Budget.ToString(Inv), s.BuyDownInterval.ToString(Inv), s.ProfitInterval.ToString(Inv), s.RebuyInterval.ToString(Inv), s.FeeRate.ToString(Inv)];
            string[] figures =
            [
                symbols.Sum(x => x.CyclesCompleted).ToString(Inv), symbols.Sum(x => x.OrdersPlaced).ToString(Inv), Money(symbols.Sum(x => x.FeesPaid)), Money(symbols.Sum(x => x.RealizedPnl)),
                Money(pnl), Percent(budget > 0 ? pnl / budget : 0), Money(symbols.Count == 0 ? 0 : symbols.Max(x => x.MaxDrawdown)),
            ];
            string[] guarded = guards ? [GuardOptions.Short(s), symbols.Sum(x => x.Guards?.Count ?? 0).ToString(Inv)] : [];
            table.AddRow([.. setting, .. stale ? [SettingsGrid.DescribeStaleBuyRule(s)] : Array.Empty<string>(), .. guarded, .. figures]);
        }

        console.Write(table);
    }

    /// <summary><c>fill model: full</c> or <c>fill model: partial (capped by each trade's quantity)</c>.</summary>
    public static string Describe(FillModel model) => model switch
    {
        FillModel.Full => "fill model: full",
        FillModel.Partial => "fill model: partial (capped by each trade's quantity)",
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown fill model."),
    };

    private static string Money(decimal value) => Math.Round(value, 4).ToString("0.0000", Inv);

    private static string Percent(decimal fraction) => (fraction * 100).ToString("0.00", Inv) + " %";
}

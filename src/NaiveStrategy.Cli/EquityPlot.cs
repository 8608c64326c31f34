using NaiveStrategy.Mock;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Cli;

/// <summary>Draws a backtest's equity curve and the market price with ScottPlot.</summary>
internal static class EquityPlot
{
    public static void Save(string path, BacktestResult result)
    {
        if (result.EquityCurves.Count == 0)
        {
            throw new InvalidOperationException("The backtest kept no equity curve to plot.");
        }

        var plot = new ScottPlot.Plot();
        foreach (var (symbol, points) in result.EquityCurves)
        {
            var times = points.Select(p => p.Time.UtcDateTime.ToOADate()).ToArray();
            var equity = plot.Add.Scatter(times, points.Select(p => (double)p.Equity).ToArray());
            equity.LegendText = $"{symbol} equity";
            equity.MarkerSize = 0;
            var price = plot.Add.Scatter(times, points.Select(p => (double)p.Price).ToArray());
            price.LegendText = $"{symbol} price";
            price.MarkerSize = 0;
            price.Axes.YAxis = plot.Axes.Right;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Left.Label.Text = "equity (quote)";
        plot.Axes.Right.Label.Text = "price";
        plot.Title("NaiveStrategy backtest");
        plot.ShowLegend();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        plot.SavePng(path, 1200, 600);
    }
}

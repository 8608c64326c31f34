using System.Globalization;
using Microsoft.Extensions.Configuration;
using NaiveStrategy;

namespace NaiveStrategy.Cli;

/// <summary>
/// The symbols of <c>live</c> and <c>paper</c>: <c>--symbol A,B,…</c> with the settings of the command line (or the
/// <c>Sample</c> section) shared by all, then each symbol's own settings from <c>Sample:Symbols:&lt;SYMBOL&gt;</c> in
/// appsettings.json (e.g. <c>"Symbols": { "BTCUSDT": { "Budget": 500, "Chunks": 10 } }</c>), which win.
/// </summary>
internal static class MultiSymbolSettings
{
    public static IReadOnlyList<SymbolSettings> Read(CommandLine cl)
    {
        var shared = LiveCommands.SymbolSettings(cl);
        AccountGuardOption.Read(cl); // checked now: the engine's options are only read once the host starts
        var configuration = CliConfiguration.Current.GetSection(CliConfiguration.Section + ":Symbols");
        return [.. shared.Select(s => Own(s, configuration.GetSection(s.Symbol)))];
    }

    public static void AddTo(NaiveStrategyOptions options, IReadOnlyList<SymbolSettings> symbols, CommandLine cl)
    {
        foreach (var symbol in symbols)
        {
            options.Symbols.Add(symbol);
        }

        AccountGuardOption.Apply(cl, options);
    }

    /// <summary>Prints <c>trading SYMBOL</c> once for each symbol as it starts (each on its own, as the exchange allows).</summary>
    public static IDisposable PrintTrading(NaiveStrategyEngine engine, TextWriter output)
    {
        var printed = new HashSet<string>(StringComparer.Ordinal);
        void Print(EngineReadiness readiness)
        {
            if (readiness.Status is not (EngineReadinessStatus.Starting or EngineReadinessStatus.Ready))
            {
                return;
            }

            lock (printed)
            {
                foreach (var symbol in engine.Symbols.Where(s => !readiness.Waiting.ContainsKey(s) && printed.Add(s)))
                {
                    output.WriteLine($"trading {symbol}");
                }
            }
        }

        void Changed(object? sender, EngineReadiness readiness) => Print(readiness);
        engine.ReadinessChanged += Changed;
        Print(engine.Readiness);
        return new Unsubscribe(() => engine.ReadinessChanged -= Changed);
    }

    private static SymbolSettings Own(SymbolSettings shared, IConfigurationSection section)
    {
        if (!section.Exists())
        {
            return shared;
        }

        var own = shared with { };
        try
        {
            section.Bind(own, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new UsageException($"{section.Path} in appsettings.json: {ex.Message}");
        }

        if (!string.Equals(own.Symbol, shared.Symbol, StringComparison.Ordinal))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{section.Path}:Symbol must be {shared.Symbol} or left out, got {own.Symbol}."));
        }

        return own;
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

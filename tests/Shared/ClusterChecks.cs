using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Orleans;
using Orleans;

namespace NaiveStrategy.Tests.Shared;

/// <summary>What the cluster harnesses ask the symbols' Leaders, wherever they run, and how they wait.</summary>
internal static class ClusterChecks
{
    /// <summary>The silo each symbol's Leader runs on (asking activates it).</summary>
    public static async Task<Dictionary<string, string>> WhereAsync(IGrainFactory grains, IEnumerable<string> symbols)
    {
        var statuses = await Task.WhenAll(symbols.Select(s => grains.GetSymbolLeader(s).GetStatusAsync()));
        return statuses.ToDictionary(s => s.Symbol, s => s.Silo, StringComparer.Ordinal);
    }

    /// <summary>The symbol's Leader runs on a silo other than <paramref name="lostSilo"/>, is ready, and holds exactly the orders the exchange has open for it.</summary>
    public static async Task<bool> ResumedAsync(IGrainFactory grains, BinanceSandboxServer server, string symbol, string lostSilo)
    {
        var status = await grains.GetSymbolLeader(symbol).GetStatusAsync();
        var open = server.Exchange.Orders.Where(o => o.Symbol == symbol && OrderAudit.IsOpen(o)).Select(o => o.ClientOrderId).ToHashSet(StringComparer.Ordinal);
        var held = status.Traders.SelectMany(t => new[] { t.BuyOrder, t.SellOrder }).Where(o => o?.Status is OrderStatus.New or OrderStatus.PartiallyFilled).Select(o => o!.ClientOrderId);
        return status.Ready && status.Silo != lostSilo && open.SetEquals(held);
    }

    /// <summary>
    /// After a silo was lost: every symbol it hosted is back on a silo that is up, ready, its orders reconciled with the
    /// exchange's, and places an order again (the market fills every resting order at last). On a timeout each of those
    /// Leaders is described to <paramref name="log"/>.
    /// </summary>
    public static async Task ResumedAsync(IGrainFactory grains, BinanceSandboxServer server, IReadOnlyCollection<string> moved, string lostSilo, IReadOnlySet<string> ordersBefore, TimeSpan patience, Action<string> log)
    {
        try
        {
            await UntilAsync("every symbol of the lost silo ready on another silo, its orders reconciled", async () => (await Task.WhenAll(moved.Select(s => ResumedAsync(grains, server, s, lostSilo)))).All(r => r), patience);
            await UntilAsync("every symbol of the lost silo placed an order after the loss", () => moved.All(s => server.Exchange.Orders.Any(o => o.Symbol == s && !ordersBefore.Contains(o.ClientOrderId))), patience);
        }
        catch (TimeoutException)
        {
            foreach (var description in await DescribeAsync(grains, server, moved))
            {
                log(description);
            }

            throw;
        }
    }

    /// <summary>Each symbol's Leader as it reports itself, beside the symbol's orders on the exchange: what a failed wait prints.</summary>
    public static async Task<IEnumerable<string>> DescribeAsync(IGrainFactory grains, BinanceSandboxServer server, IEnumerable<string> symbols)
    {
        var lines = new List<string>();
        foreach (var symbol in symbols)
        {
            var status = await grains.GetSymbolLeader(symbol).GetStatusAsync();
            lines.Add($"{symbol} on {status.Silo}: {status.Status}, ready {status.Ready}, store error {status.StoreError ?? "none"}; traders: "
                + string.Join("; ", status.Traders.Select(t => $"{t.TraderId} buy {t.BuyOrder?.ClientOrderId} {t.BuyOrder?.Status} {t.BuyOrder?.Price} sell {t.SellOrder?.ClientOrderId} {t.SellOrder?.Status} {t.SellOrder?.Price}")));
            lines.Add("  on the exchange: " + string.Join("; ", server.Exchange.Orders.Where(o => o.Symbol == symbol).Select(o => $"{o.ClientOrderId} {o.Side} {o.Price} {o.Status} {o.ExecutedQuantity}")));
        }

        return lines;
    }

    public static Task UntilAsync(string what, Func<bool> condition, TimeSpan patience, bool throwOnTimeout = true) =>
        UntilAsync(what, () => Task.FromResult(condition()), patience, throwOnTimeout);

    /// <summary>Asks every 200 ms until <paramref name="condition"/> holds; a call that fails meanwhile (a Leader being moved) counts as no.</summary>
    public static async Task UntilAsync(string what, Func<Task<bool>> condition, TimeSpan patience, bool throwOnTimeout = true)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception) when (clock.Elapsed < patience)
            {
                // A Leader being moved does not answer yet.
            }

            if (clock.Elapsed > patience)
            {
                if (throwOnTimeout)
                {
                    throw new TimeoutException($"Not within {patience}: {what}.");
                }

                return;
            }

            await timer.WaitForNextTickAsync();
        }
    }
}

using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Engine;

/// <summary>
/// Completes an order update that reports fills without their commission (an order query answered
/// while the update stream was down, a reconciliation after a restart): asks the exchange for the
/// order's fills until they cover the executed quantity, retrying with capped backoff, and returns the
/// update with the commission they add up to. A trader never sees a fill whose fee it cannot know, so
/// it never sizes a SELL for more base than it received.
/// </summary>
internal sealed class FillCommissions(IExchange exchange, NaiveStrategyOptions options, TimeProvider time, ILogger logger, CancellationToken stopping)
{
    /// <summary>The update with its commission, or null when the engine stops first.</summary>
    public async Task<OrderUpdate?> CompleteAsync(OrderUpdate update, string? traderId, string? baseAsset)
    {
        Log.AskingForFills(logger, traderId ?? "?", update.Symbol, update.ClientOrderId, update.ExecutedQuantity);
        for (var attempt = 1; ; attempt++)
        {
            ExchangeResult<IReadOnlyList<OrderFill>> fills;
            try
            {
                fills = await exchange.GetOrderFillsAsync(update.Symbol, update.OrderId, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                fills = new ExchangeError(ExchangeErrorKind.Unknown, 0, ex.Message);
            }

            var error = fills.IsSuccess ? null : fills.Error;
            if (fills.IsSuccess)
            {
                if (Commission(fills.Value, update.ExecutedQuantity, baseAsset) is var (commission, asset))
                {
                    return update with { Commission = commission, CommissionAsset = asset, CommissionKnown = true };
                }

                // The trade history can lag the order's status for a moment.
                error = new ExchangeError(ExchangeErrorKind.Transient, 0, $"the fills known so far do not add up to the executed quantity {update.ExecutedQuantity}");
            }

            var delay = Backoff.Delay(options.RetryDelay, attempt);
            Log.FillsNotKnown(logger, traderId ?? "?", update.Symbol, update.ClientOrderId, error, attempt, delay);
            try
            {
                await Task.Delay(delay, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    // The commission of the fills that make up the executed quantity (in trade order), or null when
    // they do not add up to it exactly. Fees in several assets (e.g. BNB for some trades) keep the part
    // taken in the base asset, the one that decides how much can be sold.
    internal static (decimal Commission, string? Asset)? Commission(IReadOnlyList<OrderFill> fills, decimal executed, string? baseAsset)
    {
        var quantity = 0m;
        var total = 0m;
        var inBase = 0m;
        string? asset = null;
        var mixed = false;
        foreach (var fill in fills.OrderBy(f => f.TradeId))
        {
            if (quantity >= executed)
            {
                break;
            }

            quantity += fill.Quantity;
            total += fill.Commission;
            if (fill.CommissionAsset is { } a && fill.Commission != 0)
            {
                mixed |= asset is not null && !string.Equals(asset, a, StringComparison.Ordinal);
                asset ??= a;
                inBase += string.Equals(a, baseAsset, StringComparison.Ordinal) ? fill.Commission : 0m;
            }
        }

        if (quantity != executed)
        {
            return null;
        }

        return mixed && baseAsset is not null ? (inBase, baseAsset) : (total, asset);
    }
}

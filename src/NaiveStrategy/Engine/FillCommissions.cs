using Microsoft.Extensions.Logging;
using Polly;

namespace NaiveStrategy.Engine;

/// <summary>
/// Completes an order update that reports fills without their commission (an order query answered
/// while the update stream was down, a reconciliation after a restart): asks the exchange for the
/// order's fills until they cover the executed quantity, retrying with backoff for as long as it
/// takes, and returns the update with the commission they add up to. A trader never sees a fill whose
/// fee it cannot know, so it never sizes a SELL for more base than it received.
/// </summary>
internal sealed class FillCommissions
{
    private readonly IExchange _exchange;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly ResiliencePipeline<ExchangeResult<IReadOnlyList<OrderFill>>> _retry;

    public FillCommissions(IExchange exchange, NaiveStrategyOptions options, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        _exchange = exchange;
        _logger = logger;
        _stopping = stopping;
        _retry = Resilience.Retry<IReadOnlyList<OrderFill>>(options, time, int.MaxValue, static _ => true, (context, error, attempt, delay) =>
        {
            if (Resilience.TryGetOrder(context, out var order))
            {
                Log.FillsNotKnown(logger, order.TraderId, order.Symbol, order.ClientOrderId, error, attempt, delay);
            }
        });
    }

    /// <summary>The update with its commission, or null when the engine stops first.</summary>
    public async Task<OrderUpdate?> CompleteAsync(OrderUpdate update, string traderId, string? baseAsset)
    {
        Log.AskingForFills(_logger, traderId, update.Symbol, update.ClientOrderId, update.ExecutedQuantity);
        var context = Resilience.Context(traderId, update.Symbol, update.ClientOrderId, _stopping);
        try
        {
            var fills = await _retry.ExecuteAsync(static async (context, s) =>
            {
                ExchangeResult<IReadOnlyList<OrderFill>> fills;
                try
                {
                    fills = await s.Exchange.GetOrderFillsAsync(s.Update.Symbol, s.Update.OrderId, context.CancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
                {
                    return Resilience.Thrown(ex);
                }

                // The trade history can lag the order's status for a moment: ask again.
                return fills.IsSuccess && Commission(fills.Value, s.Update.ExecutedQuantity, s.BaseAsset) is null
                    ? new ExchangeError(ExchangeErrorKind.Transient, 0, $"the fills known so far do not add up to the executed quantity {s.Update.ExecutedQuantity}")
                    : fills;
            }, context, (Exchange: _exchange, Update: update, BaseAsset: baseAsset));
            return fills.IsSuccess && Commission(fills.Value, update.ExecutedQuantity, baseAsset) is var (commission, asset)
                ? update with { Commission = commission, CommissionAsset = asset, CommissionKnown = true }
                : null;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An error here would end the order-update stream of the symbol: drop this update instead; the
            // order is still open in the trader's state, so the next reconciliation asks for it again.
            Log.InputFailed(_logger, ex, update.Symbol);
            return null;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
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

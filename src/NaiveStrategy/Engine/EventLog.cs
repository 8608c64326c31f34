using System.Globalization;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Engine;

/// <summary>
/// Logging as a projection of the engine's events: the book's lines (docs/strategy.md, "Log lines") with
/// TraderId and Symbol as structured fields. The only place that turns a strategy event into a log line.
/// </summary>
internal sealed class EventLog(ILogger logger, Func<string, SymbolFilters?> filtersOf) : IObserver<StrategyEvent>
{
    public void OnNext(StrategyEvent value)
    {
        var symbol = value.Symbol;
        switch (value.Event)
        {
            case OrderPlaced { Request: var r } placed:
                if (!logger.IsEnabled(LogLevel.Information))
                {
                    break; // the line is not written: its price and quantity are not formatted either
                }

                var filters = filtersOf(symbol);
                var price = filters?.FormatPrice(r.Price) ?? r.Price.ToString(CultureInfo.InvariantCulture);
                var quantity = filters?.FormatQuantity(r.Quantity) ?? r.Quantity.ToString(CultureInfo.InvariantCulture);
                if (r.Side == OrderSide.Buy)
                {
                    Log.PlacingBuyOrder(logger, placed.TraderId, symbol, price, quantity);
                }
                else
                {
                    Log.PlacingSellOrder(logger, placed.TraderId, symbol, price, quantity);
                }
                break;
            case RebuyTriggered rebuy:
                Log.RebuyTriggered(logger, symbol, rebuy.TraderId, rebuy.Price);
                break;
            case TraderStarted started:
                if (started.Reason == TraderStartReason.Replacement)
                {
                    Log.Restarting(logger, symbol);
                }

                Log.StartingTrader(logger, symbol, started.TraderId, started.Reason);
                Log.InitializingTrader(logger, started.TraderId, symbol);
                break;
            case AllTradersStarted all:
                Log.AllTradersStarted(logger, symbol, all.TraderId);
                break;
            case OrderFilled { Order.Status: OrderStatus.Filled } filled:
                Log.Filled(logger, filled.TraderId, symbol, filled.Order.Side, filled.Order.ClientOrderId, filled.Order.ExecutedQuantity, filled.Order.Price);
                break;
            case OrderFilled partial:
                Log.PartiallyFilled(logger, partial.TraderId, symbol, partial.Order.Side == OrderSide.Buy ? "BUY" : "SELL", partial.Order.ExecutedQuantity, partial.Order.Quantity);
                break;
            case StaleBuyCanceling stale:
                Log.StaleBuyCanceling(logger, stale.TraderId, symbol, stale.Order.ClientOrderId, stale.Order.Price, stale.Reason);
                break;
            case StaleBuyCanceled canceled:
                Log.StaleBuyCanceled(logger, canceled.TraderId, symbol, canceled.ClientOrderId);
                break;
            case OrderNotSent notSent:
                Log.OrderNotSent(logger, notSent.TraderId, notSent.Side, symbol, notSent.Price, notSent.Quantity, notSent.Filter);
                break;
            case OrderRejected rejected:
                Log.PlacementFailed(logger, rejected.TraderId, symbol, rejected.ClientOrderId, rejected.Error);
                break;
            case TraderFinished { Outcome: TraderOutcome.Completed } finished:
                Log.FinishedCycle(logger, finished.TraderId, symbol);
                break;
            case TraderFinished ended:
                Log.TraderEnded(logger, ended.TraderId, symbol, ended.Outcome, ended.Detail);
                break;
            case UnknownTraderNotified unknown:
                Log.UnknownTraderRebuy(logger, unknown.TraderId, symbol);
                break;
            case TraderCrashed crashed:
                Log.TraderCrashed(logger, crashed.Exception, crashed.TraderId, symbol);
                break;
            case UnknownOrderUpdate { Late: true } late:
                Log.LateOrderUpdate(logger, symbol, late.Update.ClientOrderId, late.Update.Status);
                break;
            case UnknownOrderUpdate stray:
                Log.UnknownOrderUpdate(logger, symbol, stray.Update.ClientOrderId, stray.Update.Status);
                break;
            case SettingsRefused refused:
                Log.SettingsRefused(logger, symbol, refused.TraderId, refused.Message);
                break;
            case WaitingForFunds waiting:
                Log.WaitingForFunds(logger, symbol, waiting.Needed, waiting.Available, waiting.Asset);
                break;
            case FundsReturned returned:
                Log.FundsReturned(logger, symbol, returned.Available, returned.Asset);
                break;
            case SymbolStopped { Reason: SymbolStopReason.SettingsRefused, Detail: { } detail }:
                Log.SymbolRefused(logger, symbol, detail);
                break;
            case GuardTriggered guard:
                Log.GuardFired(logger, symbol, guard.Guard, guard.Price, guard.Figure, guard.Threshold, guard.Action);
                break;
            case ShutdownStarted:
                Log.ShuttingDown(logger, symbol);
                break;
            case SymbolRestored restored:
                Log.SymbolRestored(logger, symbol, restored.TraderCount, restored.Status);
                break;
            case StreamResubscribed resubscribed:
                Log.StreamResubscribed(logger, resubscribed.Error, symbol, resubscribed.Stream, resubscribed.Attempt, resubscribed.Delay);
                break;
            case SymbolStopped stopped:
                Log.SymbolStopped(logger, symbol, stopped.Reason, stopped.LastOutcome, stopped.OpenOrders.Count);
                foreach (var o in stopped.OpenOrders)
                {
                    Log.OpenOrderLeft(logger, symbol, o.ClientOrderId, o.Side, o.Quantity, o.Price, o.Status);
                }

                break;
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}

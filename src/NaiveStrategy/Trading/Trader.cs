using System.Globalization;

namespace NaiveStrategy;

/// <summary>
/// The trader as a pure reducer: <c>(state, input) → (state, commands)</c>. No I/O, no clock, no logger.
/// Rules (docs/strategy.md, "Trader"): place a BUY under the first price seen; when it fills place the SELL at a
/// profit net of fees; when the SELL fills the cycle is complete; a price strictly under the rebuy
/// level notifies the leader once. Beyond the book: partial fills, cancel / reject / expire for both
/// sides, duplicate and out-of-order updates, placement failures, and orders that break the filters.
/// </summary>
internal static class Trader
{
    /// <summary>Suffix of a trader's buy client order id.</summary>
    public const string BuySuffix = "-b";

    /// <summary>Suffix of a trader's sell client order id.</summary>
    public const string SellSuffix = "-s";

    /// <summary>Applies any input.</summary>
    public static TraderDecision Decide(TraderState state, TraderInput input)
    {
        ArgumentNullException.ThrowIfNull(state);
        return input switch
        {
            MarketTradeInput t => OnTrade(state, t.Trade),
            OrderUpdateInput u => OnOrderUpdate(state, u.Update, u.Dust),
            PlacementFailedInput f => OnPlacementFailed(state, f.ClientOrderId, f.Error),
            _ => throw new ArgumentException($"Unknown trader input {input?.GetType().Name ?? "null"}.", nameof(input)),
        };
    }

    /// <summary>A market trade: place the first buy, or notify a rebuy. Allocates nothing when nothing happens.</summary>
    public static TraderDecision OnTrade(TraderState state, in TradeEvent trade)
    {
        // A trader halted by a guard sends no BUY, asks for no trader and reprices nothing.
        if (state.Outcome is not null || state.Halt is not null)
        {
            return TraderDecision.Unchanged(state);
        }

        if (state.BuyOrder is null)
        {
            return PlaceBuy(state, trade);
        }

        var rebuy = !state.RebuyNotified && trade.Price < state.RebuyPrice;
        var stale = state.Settings.RepricesStaleBuys ? StaleBuyReason(state, trade) : null;
        if (!rebuy && stale is null)
        {
            return TraderDecision.Unchanged(state);
        }

        var next = rebuy ? state with { RebuyNotified = true } : state;
        var commands = new List<TradingCommand>(2);
        var events = new List<TradingEvent>(1);
        if (rebuy)
        {
            commands.Add(new NotifyRebuy(state.TraderId, trade.Price));
        }

        if (stale is not null)
        {
            var buy = state.BuyOrder;
            next = next with { BuyCancelRequestedAt = trade.Time };
            commands.Add(new CancelOrder(state.TraderId, new OrderRequest(state.Symbol, buy.ClientOrderId, OrderSide.Buy, buy.Price, buy.Quantity)));
            events.Add(new StaleBuyCanceling(state.TraderId, OrderSnapshot.Of(buy), stale));
        }

        return new(next, commands, events);
    }

    /// <summary>
    /// How long a stale BUY's cancel may go unanswered (market time) before the trader asks again: a cancel
    /// the exchange refused or never answered must not leave the BUY waiting for ever.
    /// </summary>
    public static readonly TimeSpan CancelRetryAfter = TimeSpan.FromSeconds(30);

    // The stale-BUY rule: an acknowledged BUY still open (nothing or part executed) that has waited
    // MaxBuyWait, or whose market has risen MaxBuyDistance above the price seen when placing it.
    private static string? StaleBuyReason(TraderState state, in TradeEvent trade)
    {
        if (state.BuyOrder is not { IsOpen: true } buy || buy.Status == OrderStatus.PendingNew || state.SellOrder is not null)
        {
            return null;
        }

        if (state.BuyCancelRequestedAt is { } asked && trade.Time - asked < CancelRetryAfter)
        {
            return null;
        }

        var s = state.Settings;
        if (s.MaxBuyWait is { } wait && state.BuyPlacedAt is { } placedAt && trade.Time - placedAt >= wait)
        {
            return $"waited {wait.ToString("c", CultureInfo.InvariantCulture)} unfilled";
        }

        if (s.MaxBuyDistance is { } distance && state.BuyPlacedMarketPrice > 0 && trade.Price >= state.BuyPlacedMarketPrice * (1 + distance))
        {
            return $"price {Format(trade.Price)} is {Format(distance * 100)} % above {Format(state.BuyPlacedMarketPrice)}, the price when it was placed";
        }

        return null;
    }

    /// <summary>An update of one of the trader's orders. Updates for other orders, duplicates and stale updates change nothing.</summary>
    /// <param name="state">The trader.</param>
    /// <param name="update">The order's new state.</param>
    /// <param name="dust">
    /// The symbol's unsold base below one step (<see cref="LeaderState.Dust"/>): a SELL placed now sells
    /// <c>floor_to(step, held + dust)</c> and records what it took or left in <see cref="TraderState.DustTaken"/>.
    /// </param>
    public static TraderDecision OnOrderUpdate(TraderState state, OrderUpdate update, decimal dust = 0m)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (state.Outcome is not null)
        {
            return TraderDecision.Unchanged(state);
        }

        var order = Find(state, update.ClientOrderId);
        if (order is null || !IsNewer(order, update))
        {
            return TraderDecision.Unchanged(state);
        }

        var updated = order with
        {
            OrderId = update.OrderId,
            Status = update.Status,
            ExecutedQuantity = update.ExecutedQuantity,
            Commission = Math.Max(order.Commission, update.Commission),
            CommissionAsset = update.CommissionAsset ?? order.CommissionAsset,
            QuoteQuantity = update.QuoteQuantity ?? order.QuoteQuantity,
        };
        var events = new List<TradingEvent>(2);
        if (updated.ExecutedQuantity > order.ExecutedQuantity)
        {
            events.Add(new OrderFilled(state.TraderId, OrderSnapshot.Of(updated)));
        }

        if (state.Halt is { } halt)
        {
            return OnHaltedUpdate(state, order, updated, events, dust, halt);
        }

        // The state as it was: each path sets the updated order in the one copy it makes (a fill that places the SELL
        // or ends the cycle makes one trader state, not two).
        return order.Side == OrderSide.Buy
            ? OnBuyUpdated(state, updated, events, dust)
            : OnSellUpdated(state, updated, events);
    }

    // After a guard fired: an order the exchange acknowledges only now (the guard's cancel may have missed it) is
    // canceled; a BUY that ends with nothing executed ends the trader (never placed again). With Stop, a BUY that
    // executed part places its SELL as usual; with Exit, no SELL is placed: the trader ends Exited and its base goes
    // to the Leader's MARKET SELL.
    private static TraderDecision OnHaltedUpdate(TraderState state, TrackedOrder before, TrackedOrder order, List<TradingEvent> events, decimal dust, GuardAction halt)
    {
        var next = order.Side == OrderSide.Buy ? state with { BuyOrder = order } : state with { SellOrder = order };
        if (!order.Status.IsTerminal())
        {
            var cancel = before.Status == OrderStatus.PendingNew && (halt == GuardAction.Exit || order.Side == OrderSide.Buy);
            return cancel
                ? new(next, [new CancelOrder(state.TraderId, new OrderRequest(state.Symbol, order.ClientOrderId, order.Side, order.Price, order.Quantity))], events)
                : new(next, [], events);
        }

        if (order.Side == OrderSide.Buy && order.ExecutedQuantity == 0)
        {
            var outcome = order.Status == OrderStatus.Rejected ? TraderOutcome.Rejected : TraderOutcome.Canceled;
            return Finish(next, outcome, $"BUY order {order.ClientOrderId} ended {order.Status} with nothing executed after a guard fired", events);
        }

        if (halt == GuardAction.Stop)
        {
            return order.Side == OrderSide.Buy ? PlaceSell(next, order, events, dust) : OnSellUpdated(next, order, events);
        }

        if (order.Side == OrderSide.Sell && order.Status == OrderStatus.Filled)
        {
            return Finish(next, TraderOutcome.Completed, "SELL filled: trade cycle complete", events);
        }

        return Finish(next, TraderOutcome.Exited, $"{order.Side.ToString().ToUpperInvariant()} order {order.ClientOrderId} ended {order.Status} for the guard's exit; handing {Format(HeldQuantity(next))} {state.Filters.BaseAsset} to the exit", events);
    }

    /// <summary>A placement failed for good: the buy ends the trader as rejected; a failed sell leaves it stranded.</summary>
    public static TraderDecision OnPlacementFailed(TraderState state, string clientOrderId, ExchangeError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (state.Outcome is not null)
        {
            return TraderDecision.Unchanged(state);
        }

        var order = Find(state, clientOrderId);
        if (order is null || order.Status != OrderStatus.PendingNew)
        {
            return TraderDecision.Unchanged(state);
        }

        var rejected = order with { Status = OrderStatus.Rejected };
        return order.Side == OrderSide.Buy
            ? Finish(state with { BuyOrder = rejected }, TraderOutcome.Rejected, $"BUY order {clientOrderId} was rejected: {error}", [])
            : Finish(state with { SellOrder = rejected }, TraderOutcome.Stranded, $"SELL order {clientOrderId} was rejected: {error}; holding {Format(order.Quantity)} {state.Filters.BaseAsset}", []);
    }

    /// <summary>
    /// The quantity of base asset the trader holds: executed by its buy, minus a commission taken in the
    /// base asset, plus what its SELL took from the symbol's dust (<see cref="TraderState.DustTaken"/>),
    /// minus what it sold.
    /// </summary>
    public static decimal HeldQuantity(TraderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.BuyOrder is { } buy ? HeldWith(state, buy) : 0m;
    }

    // HeldQuantity of the trader with `buy` as its BUY.
    private static decimal HeldWith(TraderState state, TrackedOrder buy)
    {
        var commissionInBase = string.Equals(buy.CommissionAsset, state.Filters.BaseAsset, StringComparison.Ordinal) ? buy.Commission : 0m;
        var sold = state.SellOrder?.ExecutedQuantity ?? 0m;
        return buy.ExecutedQuantity - commissionInBase + state.DustTaken - sold;
    }

    /// <summary>
    /// The quote the trader has taken out of the account's free balance: its BUY's price × quantity while
    /// the BUY can still execute (what the exchange locks), what it spent once it cannot (the quote it executed
    /// for — at the fills' prices when the exchange reports them, else executed × price — plus a commission taken
    /// in the quote asset), minus what its SELL brought back (likewise, minus a commission taken in the quote asset). Once the trader has finished, minus this is the
    /// quote it gained (or, when negative, lost) over its life.
    /// </summary>
    public static decimal QuoteCommitted(TraderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.BuyOrder is not { } buy)
        {
            return 0m;
        }

        var quote = state.Filters.QuoteAsset;
        var committed = buy.IsOpen
            ? buy.Price * buy.Quantity
            : Executed(buy) + (string.Equals(buy.CommissionAsset, quote, StringComparison.Ordinal) ? buy.Commission : 0m);
        if (state.SellOrder is { } sell)
        {
            committed -= Executed(sell) - (string.Equals(sell.CommissionAsset, quote, StringComparison.Ordinal) ? sell.Commission : 0m);
        }

        return committed;
    }

    // What an order executed for: the exchange's cumulative quote when it reports one (a taker fill trades at the
    // book's price, not at the limit), else executed × limit price.
    private static decimal Executed(TrackedOrder order) =>
        order.QuoteQuantity > 0 ? order.QuoteQuantity : order.ExecutedQuantity * order.Price;

    private static TraderDecision PlaceBuy(TraderState state, in TradeEvent trade)
    {
        var s = state.Settings;
        var f = state.Filters;
        var price = TradingMath.BuyPrice(trade.Price, s.BuyDownInterval, f.TickSize);
        var quantity = price > 0 ? TradingMath.Quantity(state.Budget, price, f.StepSize) : 0m;
        if (SettingsCheck.CheckBuy(state, price, quantity) is { } refused)
        {
            // Neither leg may break a filter: a BUY whose SELL could not be sent is not sent either.
            return Finish(state, TraderOutcome.Rejected, refused.Message, [refused]);
        }

        var clientOrderId = state.BuyAttempt <= 1 ? state.TraderId + BuySuffix : state.TraderId + BuySuffix + state.BuyAttempt.ToString(CultureInfo.InvariantCulture);
        var order = new TrackedOrder(clientOrderId, OrderSide.Buy, price, quantity);
        var next = state with
        {
            BuyOrder = order,
            RebuyPrice = TradingMath.RebuyPrice(price, s.RebuyInterval),
            BuyPlacedAt = trade.Time,
            BuyPlacedMarketPrice = trade.Price,
            BuyCancelRequestedAt = null,
        };
        return new(next, [new PlaceOrder(state.TraderId, new OrderRequest(f.Symbol, order.ClientOrderId, OrderSide.Buy, price, quantity))], []);
    }

    // `state` may still hold the BUY as it was before `buy`: every outcome sets `buy` as its BUY.
    private static TraderDecision OnBuyUpdated(TraderState state, TrackedOrder buy, List<TradingEvent> events, decimal dust)
    {
        if (!buy.Status.IsTerminal())
        {
            return new(state with { BuyOrder = buy }, [], events);
        }

        if (buy.ExecutedQuantity == 0 && buy.Status == OrderStatus.Canceled && state.BuyCancelRequestedAt is not null)
        {
            // The stale-BUY rule's cancel: nothing bought, so the trader starts over with a new BUY at the next trade.
            events.Add(new StaleBuyCanceled(state.TraderId, buy.ClientOrderId));
            return new(
                state with { BuyOrder = null, BuyAttempt = state.BuyAttempt + 1, BuyPlacedAt = null, BuyPlacedMarketPrice = 0m, BuyCancelRequestedAt = null, ReplacedBuyClientOrderId = buy.ClientOrderId },
                [],
                events);
        }

        if (buy.ExecutedQuantity == 0)
        {
            var outcome = buy.Status == OrderStatus.Rejected ? TraderOutcome.Rejected : TraderOutcome.Canceled;
            return Finish(state with { BuyOrder = buy }, outcome, $"BUY order {buy.ClientOrderId} ended {buy.Status} with nothing executed", events);
        }

        // Filled, or canceled / expired after a partial fill: sell what is actually held.
        return PlaceSell(state, buy, events, dust);
    }

    // Sells what the BUY left plus the symbol's dust, floored to the step: whole steps of dust go with this
    // SELL, and the remainder below one step stays (or goes) outside the traders. `state` may still hold the BUY as it
    // was before `buy`: the trader's new state has `buy` as its BUY.
    private static TraderDecision PlaceSell(TraderState state, TrackedOrder buy, List<TradingEvent> events, decimal dust)
    {
        var s = state.Settings;
        var f = state.Filters;
        var price = TradingMath.SellPrice(buy.Price, s.ProfitInterval, s.FeeRate, f.TickSize);
        var held = HeldWith(state, buy);
        var quantity = TradingMath.FloorTo(f.StepSize, held + Math.Max(0m, dust));
        var failure = f.FindFilterFailure(price, quantity);
        if (failure is not null && quantity > TradingMath.FloorTo(f.StepSize, held))
        {
            // The dust pushed it over a maximum: sell without it.
            quantity = TradingMath.FloorTo(f.StepSize, held);
            failure = f.FindFilterFailure(price, quantity);
        }

        if (failure is not null)
        {
            events.Add(new OrderNotSent(state.TraderId, OrderSide.Sell, price, quantity, failure));
            return Finish(state with { BuyOrder = buy }, TraderOutcome.Stranded, $"SELL {Format(quantity)} @ {Format(price)} breaks {failure}: not sent; holding {Format(held)} {f.BaseAsset}", events);
        }

        var order = new TrackedOrder(state.TraderId + SellSuffix, OrderSide.Sell, price, quantity);
        var next = state with { BuyOrder = buy, SellOrder = order, DustTaken = state.DustTaken + quantity - held };
        return new(next, [new PlaceOrder(state.TraderId, new OrderRequest(f.Symbol, order.ClientOrderId, OrderSide.Sell, price, quantity))], events);
    }

    // `state` may still hold the SELL as it was before `sell`: every outcome sets `sell` as its SELL.
    private static TraderDecision OnSellUpdated(TraderState state, TrackedOrder sell, List<TradingEvent> events)
    {
        if (!sell.Status.IsTerminal())
        {
            return new(state with { SellOrder = sell }, [], events);
        }

        if (sell.Status == OrderStatus.Filled)
        {
            events.Add(new TraderFinished(state.TraderId, TraderOutcome.Completed, "SELL filled: trade cycle complete"));
            return new(state with { SellOrder = sell, Outcome = TraderOutcome.Completed }, [], events);
        }

        var sold = state with { SellOrder = sell };
        return Finish(sold, TraderOutcome.Stranded, $"SELL order {sell.ClientOrderId} ended {sell.Status}; holding {Format(HeldQuantity(sold))} {state.Filters.BaseAsset}", events);
    }

    private static TraderDecision Finish(TraderState state, TraderOutcome outcome, string detail, List<TradingEvent> events)
    {
        events.Add(new TraderFinished(state.TraderId, outcome, detail));
        return new(state with { Outcome = outcome }, [], events);
    }

    private static TrackedOrder? Find(TraderState state, string clientOrderId) =>
        state.BuyOrder is { } b && string.Equals(b.ClientOrderId, clientOrderId, StringComparison.Ordinal) ? b
        : state.SellOrder is { } s && string.Equals(s.ClientOrderId, clientOrderId, StringComparison.Ordinal) ? s
        : null;

    // Executed quantity and status only move forward; anything not ahead of what we know is a
    // duplicate or arrived out of order, and a terminal order never changes again.
    internal static bool IsNewer(TrackedOrder known, OrderUpdate update) =>
        !known.Status.IsTerminal()
        && (update.ExecutedQuantity > known.ExecutedQuantity
            || (update.ExecutedQuantity == known.ExecutedQuantity && update.Status.Rank() > known.Status.Rank()));

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

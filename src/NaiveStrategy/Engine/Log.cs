using System.Collections;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Engine;

// The book's messages (docs/strategy.md, "Log lines") word for word, with TraderId and Symbol as structured fields.
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Initializing new trader({TraderId}) for {Symbol}")]
    public static partial void InitializingTrader(ILogger logger, string traderId, string symbol);

    [LoggerMessage(2, LogLevel.Information, "The trader({TraderId}) is placing a BUY order for {Symbol} @ {Price}, quantity: {Quantity}")]
    public static partial void PlacingBuyOrder(ILogger logger, string traderId, string symbol, string price, string quantity);

    // The book ends this one with a dot and the BUY line without: readers search for the lines as printed.
    [LoggerMessage(30, LogLevel.Information, "The trader({TraderId}) is placing a SELL order for {Symbol} @ {Price}, quantity: {Quantity}.")]
    public static partial void PlacingSellOrder(ILogger logger, string traderId, string symbol, string price, string quantity);

    // The book's line, unclosed parenthesis included.
    public static void PartiallyFilled(ILogger logger, string traderId, string symbol, string side, decimal executed, decimal quantity)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            BookLine.Write(logger, LogLevel.Information, new EventId(3, nameof(PartiallyFilled)), "Trader's({TraderId} {Symbol} {Side} order got partially filled", [new("TraderId", traderId), new("Symbol", symbol), new("Side", side), new("Executed", executed), new("Quantity", quantity)]);
        }
    }

    [LoggerMessage(4, LogLevel.Information, "The trader({TraderId}) {Symbol} {Side} order {ClientOrderId} filled: {Executed} @ {Price}")]
    public static partial void Filled(ILogger logger, string traderId, string symbol, OrderSide side, string clientOrderId, decimal executed, decimal price);

    public static void RebuyTriggered(ILogger logger, string symbol, string traderId, decimal price)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            BookLine.Write(logger, LogLevel.Information, new EventId(5, nameof(RebuyTriggered)), "Rebuy triggered for {Symbol} by the trader({TraderId})", [new("Symbol", symbol), new("TraderId", traderId), new("Price", price)]);
        }
    }

    public static void StartingTrader(ILogger logger, string symbol, string traderId, TraderStartReason reason)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            BookLine.Write(logger, LogLevel.Information, new EventId(6, nameof(StartingTrader)), "Starting new trader for {Symbol}", [new("Symbol", symbol), new("TraderId", traderId), new("Reason", reason)]);
        }
    }

    // TraderId: the trader whose rebuy found every chunk taken.
    public static void AllTradersStarted(ILogger logger, string symbol, string traderId)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            BookLine.Write(logger, LogLevel.Information, new EventId(7, nameof(AllTradersStarted)), "All traders already started for {Symbol}", [new("Symbol", symbol), new("TraderId", traderId)]);
        }
    }

    [LoggerMessage(8, LogLevel.Information, "Trader({TraderId}) finished trade cycle for {Symbol}")]
    public static partial void FinishedCycle(ILogger logger, string traderId, string symbol);

    [LoggerMessage(9, LogLevel.Information, "{Symbol} trader finished trade - restarting")]
    public static partial void Restarting(ILogger logger, string symbol);

    public static void UnknownTraderRebuy(ILogger logger, string traderId, string symbol)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            BookLine.Write(logger, LogLevel.Warning, new EventId(10, nameof(UnknownTraderRebuy)), "Rebuy triggered by trader that leader is not aware of", [new("TraderId", traderId), new("Symbol", symbol)]);
        }
    }

    [LoggerMessage(11, LogLevel.Warning, "Trader({TraderId}) for {Symbol} ended {Outcome}: {Reason}")]
    public static partial void TraderEnded(ILogger logger, string traderId, string symbol, TraderOutcome outcome, string reason);

    [LoggerMessage(12, LogLevel.Error, "Trader({TraderId}) for {Symbol} crashed; restored from its last state")]
    public static partial void TraderCrashed(ILogger logger, Exception exception, string traderId, string symbol);

    [LoggerMessage(13, LogLevel.Warning, "The trader({TraderId}) did not send a {Side} order for {Symbol} @ {Price}, quantity: {Quantity}: it breaks {Filter}")]
    public static partial void OrderNotSent(ILogger logger, string traderId, OrderSide side, string symbol, decimal price, decimal quantity, string filter);

    [LoggerMessage(14, LogLevel.Warning, "Order update for {Symbol} {ClientOrderId} ({Status}) belongs to no running trader")]
    public static partial void UnknownOrderUpdate(ILogger logger, string symbol, string clientOrderId, OrderStatus status);

    [LoggerMessage(43, LogLevel.Debug, "Order update for {Symbol} {ClientOrderId} ({Status}) came after its trader had finished: nothing to do")]
    public static partial void LateOrderUpdate(ILogger logger, string symbol, string clientOrderId, OrderStatus status);

    [LoggerMessage(15, LogLevel.Information, "{Symbol} stopped trading: {Reason} (last trader {LastOutcome}); {OpenOrderCount} open order(s) left on the exchange")]
    public static partial void SymbolStopped(ILogger logger, string symbol, SymbolStopReason reason, TraderOutcome? lastOutcome, int openOrderCount);

    [LoggerMessage(16, LogLevel.Warning, "{Symbol} open order left on the exchange: {ClientOrderId} {Side} {Quantity} @ {Price} ({Status})")]
    public static partial void OpenOrderLeft(ILogger logger, string symbol, string clientOrderId, OrderSide side, decimal quantity, decimal price, OrderStatus status);

    [LoggerMessage(17, LogLevel.Warning, "The trader({TraderId}) {Symbol} order {ClientOrderId} placement failed ({Error}); attempt {Attempt}, retrying in {Delay}")]
    public static partial void PlacementRetry(ILogger logger, string traderId, string symbol, string clientOrderId, ExchangeError error, int attempt, TimeSpan delay);

    [LoggerMessage(18, LogLevel.Error, "The trader({TraderId}) {Symbol} order {ClientOrderId} failed: {Error}")]
    public static partial void PlacementFailed(ILogger logger, string traderId, string symbol, string clientOrderId, ExchangeError error);

    [LoggerMessage(19, LogLevel.Critical, "The trader({TraderId}) {Symbol} order {ClientOrderId} has an unknown status after every query ({Error}); it is left pending and will be resolved by the order stream or the next reconciliation")]
    public static partial void PlacementUnresolved(ILogger logger, string traderId, string symbol, string clientOrderId, ExchangeError error);

    [LoggerMessage(20, LogLevel.Error, "The {Symbol} engine failed to process an input; the input was dropped")]
    public static partial void InputFailed(ILogger logger, Exception exception, string symbol);

    [LoggerMessage(29, LogLevel.Error, "An observer of the engine's events threw on {Symbol} {Event}; trading goes on")]
    public static partial void EventObserverFailed(ILogger logger, Exception exception, string symbol, string @event);

    [LoggerMessage(22, LogLevel.Warning, "The trader({TraderId}) {Symbol} order {ClientOrderId} was recorded but never reached the exchange: sending it once")]
    public static partial void ResendingIntent(ILogger logger, string traderId, string symbol, string clientOrderId);

    [LoggerMessage(23, LogLevel.Critical, "The trader({TraderId}) {Symbol} order {ClientOrderId} was {Status} but the exchange does not know it: check the account")]
    public static partial void OrderVanished(ILogger logger, string traderId, string symbol, string clientOrderId, OrderStatus status);

    [LoggerMessage(24, LogLevel.Information, "{Symbol} restored from the store: {TraderCount} trader(s), status {Status}")]
    public static partial void SymbolRestored(ILogger logger, string symbol, int traderCount, SymbolStatus status);

    [LoggerMessage(25, LogLevel.Warning, "The {Symbol} {Stream} stream ended; subscribed again after {Delay} (attempt {Attempt})")]
    public static partial void StreamResubscribed(ILogger logger, Exception? exception, string symbol, StrategyStream stream, int attempt, TimeSpan delay);

    [LoggerMessage(27, LogLevel.Information, "The trader({TraderId}) {Symbol} order {ClientOrderId} reported {Executed} executed without its commission: asking the exchange for its fills before acting on it")]
    public static partial void AskingForFills(ILogger logger, string traderId, string symbol, string clientOrderId, decimal executed);

    [LoggerMessage(28, LogLevel.Warning, "The trader({TraderId}) {Symbol} order {ClientOrderId}: fills not known yet ({Error}); attempt {Attempt}, asking again in {Delay}")]
    public static partial void FillsNotKnown(ILogger logger, string traderId, string symbol, string clientOrderId, ExchangeError? error, int attempt, TimeSpan delay);

    [LoggerMessage(26, LogLevel.Error, "Settings refused for {Symbol} before the trader({TraderId}) sent any order: {Reason}")]
    public static partial void SettingsRefused(ILogger logger, string symbol, string traderId, string reason);

    [LoggerMessage(31, LogLevel.Error, "{Symbol} stopped trading: {Reason}")]
    public static partial void SymbolRefused(ILogger logger, string symbol, string reason);

    [LoggerMessage(32, LogLevel.Warning, "{Symbol} is waiting for funds: a trader needs {Needed} {Asset}, {Available} {Asset} free; it starts when they return")]
    public static partial void WaitingForFunds(ILogger logger, string symbol, decimal needed, decimal available, string asset);

    [LoggerMessage(33, LogLevel.Information, "{Symbol} has funds again ({Available} {Asset} free): starting the traders it waited for")]
    public static partial void FundsReturned(ILogger logger, string symbol, decimal available, string asset);

    [LoggerMessage(34, LogLevel.Warning, "The free {Asset} balance for {Symbol} is not known ({Error}); the Leader asks again later")]
    public static partial void BalanceUnknown(ILogger logger, Exception? exception, string symbol, string asset, string error);

    [LoggerMessage(35, LogLevel.Critical, "The trader({TraderId}) {Symbol} crashed again: its order {ClientOrderId} is not queried after {Count} crashes; the next reconciliation asks for it")]
    public static partial void NotRequeried(ILogger logger, string traderId, string symbol, string clientOrderId, int count);

    [LoggerMessage(39, LogLevel.Warning, "{Symbol} could not start ({Error}); attempt {Attempt}, trying again in {Delay}")]
    public static partial void StartRetrying(ILogger logger, string symbol, string error, int attempt, TimeSpan delay);

    [LoggerMessage(40, LogLevel.Information, "{Symbol} started after {Attempt} attempts")]
    public static partial void StartRecovered(ILogger logger, string symbol, int attempt);

    [LoggerMessage(36, LogLevel.Information, "The trader({TraderId}) is canceling its BUY order {ClientOrderId} for {Symbol} @ {Price}: {Reason}")]
    public static partial void StaleBuyCanceling(ILogger logger, string traderId, string symbol, string clientOrderId, decimal price, string reason);

    [LoggerMessage(37, LogLevel.Information, "The trader({TraderId}) BUY order {ClientOrderId} for {Symbol} was canceled: it places a new BUY at the next trade")]
    public static partial void StaleBuyCanceled(ILogger logger, string traderId, string symbol, string clientOrderId);

    [LoggerMessage(38, LogLevel.Warning, "The trader({TraderId}) {Symbol} order {ClientOrderId} could not be canceled ({Error}): asking the exchange for its state")]
    public static partial void CancelRefused(ILogger logger, string traderId, string symbol, string clientOrderId, ExchangeError error);

    [LoggerMessage(21, LogLevel.Information, "{Symbol} is shutting down: running traders finish their cycle")]
    public static partial void ShuttingDown(ILogger logger, string symbol);

    /// <summary>
    /// A line whose text is the book's and whose fields include what that text leaves out (a price, a
    /// reason, the trader behind a symbol-wide line). [LoggerMessage] keeps only the fields its template
    /// names, so these few are written by hand in the same shape: the fields, then {OriginalFormat}.
    /// </summary>
    private sealed class BookLine(string format, KeyValuePair<string, object?>[] fields) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => fields.Length + 1;

        public KeyValuePair<string, object?> this[int index] => index == fields.Length ? new("{OriginalFormat}", format) : fields[index];

        public static void Write(ILogger logger, LogLevel level, EventId id, string format, KeyValuePair<string, object?>[] fields) =>
            logger.Log(level, id, new BookLine(format, fields), null, static (line, _) => line.ToString());

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        // The format with each {Name} replaced by its field, invariantly.
        public override string ToString()
        {
            var text = new StringBuilder(format.Length + 32);
            var at = 0;
            while (format.IndexOf('{', at) is var open and >= 0 && format.IndexOf('}', open) is var close and >= 0)
            {
                var name = format[(open + 1)..close];
                text.Append(format, at, open - at).Append(Convert.ToString(fields.First(f => f.Key == name).Value, CultureInfo.InvariantCulture));
                at = close + 1;
            }

            return text.Append(format, at, format.Length - at).ToString();
        }
    }

    [LoggerMessage(41, LogLevel.Warning, "{Symbol}: the {Guard} guard fired at {Price} ({Figure} against {Threshold}): {Action}")]
    public static partial void GuardFired(ILogger logger, string symbol, GuardKind guard, decimal price, decimal figure, decimal threshold, GuardAction action);

    [LoggerMessage(42, LogLevel.Warning, "The account's equity {Equity} fell {Figure} below its peak {Peak} (MaxDrawdown {Threshold}): every symbol's guard fires ({Action})")]
    public static partial void AccountGuardFired(ILogger logger, decimal figure, decimal threshold, decimal equity, decimal peak, GuardAction action);
}

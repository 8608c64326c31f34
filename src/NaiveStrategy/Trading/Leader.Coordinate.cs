using System.Collections.Immutable;

namespace NaiveStrategy;

// How the traders' decisions become the leader's: trader lifecycle (replace, stop, wind down) and the
// symbol's money (free quote, dust, realized PnL, waiting for funds).
internal sealed partial class Leader
{
    // Turns the traders' decisions into the leader's, trader by trader in the order they were made:
    // the money each moved first, then what happened to it, then what it asks for (a rebuy starts a
    // trader, an order passes on). Traders the symbol waits funds for start as soon as they are covered.
    // A span, so the one step of an order update or a rebuy is passed on the stack, not in a list.
    private static LeaderDecision Coordinate(LeaderState state, ImmutableArray<TraderState>.Builder traders, ReadOnlySpan<Step> decisions, List<TradingEvent>? leading, bool checkFunds = false)
    {
        var tally = new LeaderTally(state, traders, leading);
        if (checkFunds)
        {
            tally.CheckFunds();
        }

        foreach (var decision in decisions)
        {
            if (decision.Before is { } before && decision.After is { } after)
            {
                tally.Account(before, after);
            }

            // Indexed: a foreach over IReadOnlyList would box the list's enumerator for every step.
            var events = decision.Events;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                tally.Events.Add(e);
                switch (e)
                {
                    case SettingsRefused refused:
                        tally.Refuse(refused.Message);
                        break;
                    case TraderFinished finished:
                        tally.Finish(finished, decision.FundsShort);
                        break;
                }
            }

            var commands = decision.Commands;
            for (var i = 0; i < commands.Count; i++)
            {
                var command = commands[i];
                if (command is NotifyRebuy rebuy)
                {
                    tally.Rebuy(rebuy);
                }
                else
                {
                    tally.Commands.Add(command);
                }
            }
        }

        tally.StartWaiting();
        return tally.Decision();
    }

    // What one trader's step produced, for Coordinate: the trader before and after (null for a step that is
    // not a trader's), and whether it came from a refusal for lack of funds.
    private readonly record struct Step(TraderState? Before, TraderState? After, IReadOnlyList<TradingEvent> Events, IReadOnlyList<TradingCommand> Commands, bool FundsShort = false);
}

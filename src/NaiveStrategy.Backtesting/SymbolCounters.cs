namespace NaiveStrategy.Backtesting;

/// <summary>Counts kept from the engine's events during a backtest.</summary>
internal sealed class SymbolCounters
{
    /// <summary>Traders started.</summary>
    public int TradersStarted { get; private set; }

    /// <summary>Traders running now.</summary>
    public int Running { get; private set; }

    /// <summary>Most traders running at once.</summary>
    public int MaxConcurrentTraders { get; private set; }

    /// <summary>Completed cycles.</summary>
    public int CyclesCompleted { get; private set; }

    /// <summary>Orders not sent because they broke a filter.</summary>
    public int OrdersNotSent { get; private set; }

    /// <summary>Orders the exchange refused (never accepted, so not in its order list).</summary>
    public int PlacementsRejected { get; private set; }

    /// <summary>Times a trader threw while handling an input (the engine restored it and dropped the input).</summary>
    public int TradersCrashed { get; private set; }

    /// <summary>Times the symbol began to wait for funds.</summary>
    public int FundsWaits { get; private set; }

    /// <summary>Why the settings were refused (<see cref="SettingsRefused"/>), or null.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The risk guards that fired, in order, with what their exits sold.</summary>
    public List<GuardFiring> Guards { get; } = [];

    /// <summary>Counts one of the symbol's events.</summary>
    public void Count(StrategyEvent e)
    {
        switch (e.Event)
        {
            case TraderStarted:
                TradersStarted++;
                Running++;
                MaxConcurrentTraders = Math.Max(MaxConcurrentTraders, Running);
                break;
            case TraderCrashed:
                TradersCrashed++;
                break;
            case TraderFinished f:
                Running--;
                CyclesCompleted += f.Outcome == TraderOutcome.Completed ? 1 : 0;
                break;
            case OrderNotSent:
                OrdersNotSent++;
                break;
            case OrderRejected:
                PlacementsRejected++;
                break;
            case SymbolStopped:
                Running = 0;
                break;
            case SettingsRefused refused:
                Refusal ??= refused.Message;
                break;
            case GuardTriggered fired:
                Guards.Add(new GuardFiring(fired.Time, fired.Guard, fired.Action, fired.Price, fired.Figure, fired.Threshold));
                break;
            case GuardExitFilled exit when Guards.Count > 0:
                Guards[^1] = Guards[^1] with { Sold = Guards[^1].Sold + exit.Sold, Proceeds = Guards[^1].Proceeds + exit.Proceeds };
                break;
            case GuardExitNotSent notSent when Guards.Count > 0:
                Guards[^1] = Guards[^1] with { ExitProblem = notSent.Message };
                break;
            case WaitingForFunds:
                FundsWaits++;
                break;
        }
    }
}

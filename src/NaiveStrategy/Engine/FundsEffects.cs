using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Engine;

/// <summary>
/// Carries out <see cref="CheckFunds"/>: asks the exchange for the account's balances and posts the free
/// quote back into the symbol's flow (<see cref="FundsReport"/>), where the Leader decides what it means.
/// One query at a time per symbol; a failure is answered with an unknown balance (the Leader asks again
/// after its backoff). Completes at once with a synchronous exchange (the flow queues the answer behind
/// the input being handled).
/// </summary>
internal sealed class FundsEffects(IExchange exchange, EngineContext context, Action<SymbolInput> post)
{
    private int _querying;

    /// <summary>The free amount of <paramref name="asset"/>, or null (logged) when the exchange cannot say.</summary>
    public static async Task<decimal?> FreeAsync(IExchange exchange, string asset, ILogger logger, string symbol, CancellationToken cancellationToken)
    {
        try
        {
            return Free(await exchange.GetBalancesAsync(cancellationToken), asset, logger, symbol);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.BalanceUnknown(logger, ex, symbol, asset, ex.Message);
            return null;
        }
    }

    public void Check(string symbol, string asset)
    {
        if (Interlocked.Exchange(ref _querying, 1) == 1)
        {
            return;
        }

        ValueTask<ExchangeResult<IReadOnlyList<Balance>>> pending;
        try
        {
            pending = exchange.GetBalancesAsync(context.Stopping);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Answer(symbol, ExchangeResult<IReadOnlyList<Balance>>.Failure(new ExchangeError(ExchangeErrorKind.Transient, 0, ex.Message)), asset);
            return;
        }

        if (pending.IsCompleted)
        {
            Answer(symbol, pending.Result, asset);
        }
        else
        {
            context.Track(AnswerAsync(symbol, pending, asset));
        }
    }

    private static decimal? Free(ExchangeResult<IReadOnlyList<Balance>> balances, string asset, ILogger logger, string symbol)
    {
        if (!balances.IsSuccess)
        {
            Log.BalanceUnknown(logger, null, symbol, asset, balances.Error.ToString());
            return null;
        }

        foreach (var balance in balances.Value)
        {
            if (string.Equals(balance.Asset, asset, StringComparison.Ordinal))
            {
                return balance.Free;
            }
        }

        return 0m;
    }

    private async Task AnswerAsync(string symbol, ValueTask<ExchangeResult<IReadOnlyList<Balance>>> pending, string asset)
    {
        ExchangeResult<IReadOnlyList<Balance>> result;
        try
        {
            result = await pending;
        }
        catch (OperationCanceledException) when (context.Stopping.IsCancellationRequested)
        {
            Volatile.Write(ref _querying, 0);
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            result = new ExchangeError(ExchangeErrorKind.Transient, 0, ex.Message);
        }

        Answer(symbol, result, asset);
    }

    private void Answer(string symbol, ExchangeResult<IReadOnlyList<Balance>> result, string asset)
    {
        var free = Free(result, asset, context.Logger, symbol);
        Volatile.Write(ref _querying, 0);
        post(SymbolInput.Control(SymbolInputKind.FundsKnown, new FundsReport(free, context.Time.GetUtcNow())));
    }
}

namespace NaiveStrategy.Mock;

/// <summary>
/// The account's balances: free and locked per asset. An order locks what it may spend when placed; a fill releases
/// the part it spent and credits what it received; a finished order returns what it still locks. Not thread-safe:
/// the exchange calls it under its lock.
/// </summary>
internal sealed class Ledger
{
    private readonly Dictionary<string, decimal> _free = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _locked = new(StringComparer.Ordinal);

    public Ledger(IEnumerable<KeyValuePair<string, decimal>> balances)
    {
        foreach (var (asset, amount) in balances)
        {
            _free[asset] = amount;
        }
    }

    public decimal Free(string asset) => _free.GetValueOrDefault(asset);

    public Balance Balance(string asset) => new(asset, _free.GetValueOrDefault(asset), _locked.GetValueOrDefault(asset));

    public IReadOnlyList<Balance> Balances() =>
        _free.Keys.Union(_locked.Keys).Order(StringComparer.Ordinal).Select(Balance).ToArray();

    /// <exception cref="InvalidOperationException">A withdrawal larger than the free balance.</exception>
    public void Deposit(string asset, decimal amount)
    {
        var free = _free.GetValueOrDefault(asset) + amount;
        if (free < 0)
        {
            throw new InvalidOperationException($"Cannot withdraw {-amount} {asset}: only {_free.GetValueOrDefault(asset)} is free.");
        }

        _free[asset] = free;
    }

    /// <summary>Moves <paramref name="amount"/> from free to locked; false (nothing moved) when not enough is free.</summary>
    public bool TryLock(string asset, decimal amount)
    {
        if (_free.GetValueOrDefault(asset) < amount)
        {
            return false;
        }

        _free[asset] = _free.GetValueOrDefault(asset) - amount;
        _locked[asset] = _locked.GetValueOrDefault(asset) + amount;
        return true;
    }

    /// <summary>Takes a spent amount out of the locked balance (it left the account).</summary>
    public void Spend(string asset, decimal amount) => _locked[asset] = _locked.GetValueOrDefault(asset) - amount;

    /// <summary>Returns a locked amount to the free balance.</summary>
    public void Unlock(string asset, decimal amount)
    {
        _locked[asset] = _locked.GetValueOrDefault(asset) - amount;
        Credit(asset, amount);
    }

    public void Credit(string asset, decimal amount) => _free[asset] = _free.GetValueOrDefault(asset) + amount;
}

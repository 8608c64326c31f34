using System.Globalization;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.Orleans;

/// <summary>How the silos host the symbols' Leaders.</summary>
public sealed class NaiveStrategyOrleansOptions
{
    /// <summary>The default <see cref="StorageName"/>.</summary>
    public const string DefaultStorageName = "NaiveStrategy";

    /// <summary>
    /// The grain storage provider that holds each symbol's state (register it on the silo, e.g.
    /// <c>AddRedisGrainStorage("NaiveStrategy", …)</c>). Every silo must reach the same storage: it is what a
    /// symbol resumes from on another silo.
    /// </summary>
    public string StorageName { get; set; } = DefaultStorageName;

    /// <summary>
    /// How often each silo pings the Leader of every known symbol, so a symbol whose silo was lost is activated again
    /// (on a silo that is still up) within about this time plus the cluster's failure detection.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many intents of orders no trader holds open any more the journal keeps per symbol (the newest).</summary>
    public int JournalLength { get; set; } = 256;

    /// <summary>How long a write to grain storage may take before the input that needed it is dropped (nothing is sent).</summary>
    public TimeSpan StorageTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Validates <see cref="NaiveStrategyOrleansOptions"/>.</summary>
internal sealed class NaiveStrategyOrleansOptionsValidator : IValidateOptions<NaiveStrategyOrleansOptions>
{
    public ValidateOptionsResult Validate(string? name, NaiveStrategyOrleansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.StorageName))
        {
            errors.Add("StorageName must name a grain storage provider.");
        }

        if (options.KeepAliveInterval <= TimeSpan.Zero)
        {
            errors.Add($"KeepAliveInterval must be > 0, got {options.KeepAliveInterval}.");
        }

        if (options.JournalLength < 0)
        {
            errors.Add($"JournalLength must be >= 0, got {options.JournalLength.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.StorageTimeout <= TimeSpan.Zero)
        {
            errors.Add($"StorageTimeout must be > 0, got {options.StorageTimeout}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

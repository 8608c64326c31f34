using Microsoft.Extensions.Configuration;

namespace NaiveStrategy.Cli;

/// <summary>
/// Where an option not given on the command line comes from, as the generic Host reads settings: the
/// <c>Sample</c> section of <c>appsettings.json</c> (then <c>appsettings.{DOTNET_ENVIRONMENT}.json</c>) in the
/// current directory, then environment variables (<c>Sample__Chunks=3</c>); the command line wins over both.
/// Keys are the option names in PascalCase: <c>--max-buy-wait</c> is <c>Sample:MaxBuyWait</c>.
/// </summary>
internal static class CliConfiguration
{
    /// <summary>The configuration section of the sample's options.</summary>
    public const string Section = "Sample";

    private static readonly AsyncLocal<IConfiguration?> Injected = new();

    /// <summary>
    /// The configuration a test injected with <see cref="WithAsync"/>; otherwise a new one built on every read from
    /// <c>appsettings.json</c> and <c>appsettings.{DOTNET_ENVIRONMENT}.json</c> in the current directory (both optional)
    /// and the environment, so each read sees the files as they are then (<see cref="CommandLine"/> reads it once, when it parses a command).
    /// </summary>
    /// <exception cref="FormatException">A settings file is not valid JSON; the message names the file and the line.</exception>
    public static IConfiguration Current => Injected.Value ?? Build(Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"));

    /// <summary>Runs <paramref name="run"/> with <paramref name="configuration"/> as <see cref="Current"/>.</summary>
    public static async Task<T> WithAsync<T>(IConfiguration configuration, Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var before = Injected.Value;
        Injected.Value = configuration;
        try
        {
            return await run();
        }
        finally
        {
            Injected.Value = before;
        }
    }

    private static readonly AsyncLocal<Dictionary<string, string>?> Taken = new();

    /// <summary>
    /// Starts recording the options this run takes from configuration, so an error about one can say where
    /// its value came from (<see cref="Explain"/>).
    /// </summary>
    public static void BeginRun() => Taken.Value = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="option"/> came from <paramref name="key"/>.</summary>
    public static void Took(string option, string key)
    {
        if (Taken.Value is { } taken)
        {
            taken["--" + option] = key;
        }
    }

    /// <summary>The message, with the configuration key when it is about an option taken from configuration.</summary>
    public static string Explain(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (option, key) in Taken.Value ?? [])
        {
            if (message.StartsWith(option, StringComparison.Ordinal) && message.Length > option.Length && message[option.Length] is ':' or ' ')
            {
                return $"{message.TrimEnd('.')} (from {key} in appsettings.json or the environment).";
            }
        }

        return message;
    }

    /// <summary>The configuration key of an option: <c>max-buy-wait</c> → <c>Sample:MaxBuyWait</c>.</summary>
    public static string KeyOf(string option) =>
        Section + ":" + string.Concat(option.Split('-').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    private static IConfiguration Build(string directory, string? environment)
    {
        var builder = new ConfigurationBuilder().SetBasePath(directory).AddJsonFile("appsettings.json", optional: true);
        if (!string.IsNullOrWhiteSpace(environment))
        {
            builder.AddJsonFile($"appsettings.{environment}.json", optional: true);
        }

        try
        {
            return builder.AddEnvironmentVariables().Build();
        }
        catch (InvalidDataException ex)
        {
            // The provider's message names the file, its inner one the line.
            throw new FormatException(ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message, ex);
        }
    }
}

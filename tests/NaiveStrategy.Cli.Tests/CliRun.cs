using Microsoft.Extensions.Configuration;

namespace NaiveStrategy.Cli.Tests;

/// <summary>The sample run in this process: its exit code, stdout and stderr.</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs with <paramref name="settings"/> as the configuration (appsettings.json and the environment).</summary>
    public static Task<(int Code, string Out, string Err)> RunWith(IReadOnlyDictionary<string, string?> settings, params string[] args) =>
        CliConfiguration.WithAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), () => Run(args));
}

using System.Diagnostics;
using System.Text;

namespace NaiveStrategy.Cli.Tests;

/// <summary>The sample run as a process of its own (<c>dotnet NaiveStrategy.Cli.dll …</c>), its output kept.</summary>
internal sealed class CliProcess : IDisposable
{
    public const string Key = "state-key";
    public const string Secret = "state-secret";

    // A bound on waiting for a process, so a hang fails the test instead of stalling the run; never a
    // measure of how fast anything is.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Starts <c>live</c> on <paramref name="state"/> against a sandbox (or, with no urls, against an address nothing listens on).</summary>
    public static CliProcess Live(string state, (string RestUrl, string WsApiUrl, string StreamsUrl)? urls = null, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? extra = null)
    {
        var (rest, wsApi, streams) = urls ?? ("http://127.0.0.1:9", "ws://127.0.0.1:9/ws-api/v3", "ws://127.0.0.1:9");
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["NAIVE_BINANCE_API_KEY"] = Key,
            ["NAIVE_BINANCE_SECRET_KEY"] = Secret,
        };
        return Start(env, ["live", "--symbol", "XRPUSDT", "--state", state, "--log-level", "Warning", "--chunks", "3", "--budget", "60", "--buy-down", "0.001", "--profit", "0.001", "--rebuy", "0.002", "--rest-url", rest, "--ws-api-url", wsApi, "--stream-url", streams, .. extra ?? []]);
    }

    public static CliProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) => StartIn(null, environment, args);

    /// <summary>Starts the sample in <paramref name="directory"/> (its appsettings.json is read from there).</summary>
    public static CliProcess StartIn(string? directory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NaiveStrategy.Cli.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var sample = new CliProcess(Process.Start(info)!);
        sample._process.OutputDataReceived += (_, e) => Append(sample._output, e.Data);
        sample._process.ErrorDataReceived += (_, e) => Append(sample._error, e.Data);
        sample._process.BeginOutputReadLine();
        sample._process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var bound = new CancellationTokenSource(Bound);
        await _process.WaitForExitAsync(bound.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails after the bound.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!condition())
        {
            clock.Elapsed.Should().BeLessThan(Bound, "waiting until " + what);
            await timer.WaitForNextTickAsync();
        }
    }

    /// <summary>kill -9, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.Append(line).Append('\n');
        }
    }
}

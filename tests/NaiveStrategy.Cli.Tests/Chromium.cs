using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Cli.Tests;

/// <summary>
/// Debian's <c>chromium</c>, headless, driven over the Chrome DevTools protocol (its --remote-debugging-port,
/// one WebSocket to the page): enough to load a page, read it with JavaScript, click and take a screenshot.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser binary, or null when none is installed.</summary>
    public static string? Path { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public static async Task<Chromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("naive-chromium-").FullName;
        var info = new ProcessStartInfo(Path ?? throw new InvalidOperationException("chromium is not installed (apt-get install -y chromium)."))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
        foreach (var arg in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1400,1000", "about:blank" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new Chromium(process, profile);
        try
        {
            // Chromium writes the port it chose into the profile.
            var portFile = System.IO.Path.Combine(profile, "DevToolsActivePort");
            await CliProcess.UntilAsync(() => File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2 || process.HasExited, "chromium opens its DevTools port");
            process.HasExited.Should().BeFalse("chromium must start headless");
            var port = File.ReadAllLines(portFile)[0].Trim();
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Runtime.enable");
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    public Task NavigateAsync(Uri url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result?["exceptionDetails"] is { } error)
        {
            throw new InvalidOperationException($"the page threw on {expression}: {error.ToJsonString()}");
        }

        return result?["result"]?["value"];
    }

    /// <summary>Waits until <paramref name="expression"/> is truthy in the page.</summary>
    public async Task UntilAsync(string expression, string what)
    {
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!(await EvaluateAsync($"!!({expression})"))!.GetValue<bool>())
        {
            clock.Elapsed.Should().BeLessThan(Bound, "waiting until " + what);
            await timer.WaitForNextTickAsync();
        }
    }

    /// <summary>A real mouse click (pressed and released) in the middle of the element <paramref name="selector"/> picks.</summary>
    public async Task ClickAsync(string selector)
    {
        var box = (await EvaluateAsync($"(() => {{ const r = document.querySelector({JsonSerializer.Serialize(selector)}).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"))!.AsArray();
        var (x, y) = (box[0]!.GetValue<double>(), box[1]!.GetValue<double>());
        foreach (var type in new[] { "mouseMoved", "mousePressed", "mouseReleased" })
        {
            await SendAsync("Input.dispatchMouseEvent", new JsonObject { ["type"] = type, ["x"] = x, ["y"] = y, ["button"] = "left", ["clickCount"] = 1 });
        }
    }

    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String((string)result!["data"]!);
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's helpers may still hold a file for a moment; the temp folder is cleaned later.
        }
    }

    // One command, its answer (events in between are skipped).
    private async Task<JsonNode?> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        using var bound = new CancellationTokenSource(Bound);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, bound.Token);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var frame = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, bound.Token);
                frame.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            var answer = JsonNode.Parse(frame.ToArray())!;
            if ((int?)answer["id"] == id)
            {
                return answer["error"] is { } error ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}") : answer["result"];
            }
        }
    }
}

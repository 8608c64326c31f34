using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Cli.Tests;

/// <summary>Runs only where chromium is installed; under CI=true it must run (.ci/run installs it), so a missing browser fails.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "chromium is not installed: apt-get install -y chromium (.ci/run installs it; under CI=true this test runs).";
        }
    }
}

/// <summary>The dashboard in a real browser against the sample's <c>live</c> on the sandbox.</summary>
public sealed class DashboardBrowserTests
{
    [ChromiumFact]
    public async Task Dashboard_LiveOnSandbox_ShowsTraderIdsAndStopClickTurnsStatusOff()
    {
        await using var host = await DashboardHost.StartAsync(feedMarket: true);
        await using var browser = await Chromium.StartAsync();

        await browser.NavigateAsync(new Uri(host.Dashboard, "/#token=" + DashboardHost.Token));
        await browser.UntilAsync("document.querySelectorAll('[data-trader-id]').length > 0", "the page lists traders");
        var shown = (await browser.EvaluateAsync("[...document.querySelectorAll('[data-trader-id]')].map(e => e.dataset.traderId)"))!.AsArray().Select(n => (string)n!).ToList();
        var known = await TraderIdsAsync(host);
        shown.Should().NotBeEmpty().And.OnlyContain(id => known.Contains(id), "the page shows the engine's traders");
        (await browser.EvaluateAsync("document.getElementById('status-XRPUSDT').textContent"))!.GetValue<string>().Should().Be("on");
        (await browser.EvaluateAsync("location.hash"))!.GetValue<string>().Should().BeEmpty("the token leaves the address bar");

        // Prices and orders on the chart before the picture.
        await browser.UntilAsync("document.querySelectorAll('#log li').length >= 3", "events arrive over /api/events");
        await browser.UntilAsync("Object.values(charts).some(h => h.prices.some(p => p[2].startsWith('placed')) && h.prices.some(p => p[2].startsWith('fill')))", "orders placed and filled on the chart");
        var screenshot = await browser.ScreenshotAsync();
        SaveScreenshot(screenshot);

        await browser.ClickAsync("button[data-action=stop][data-symbol=XRPUSDT]");
        await browser.UntilAsync("document.getElementById('status-XRPUSDT').textContent === 'off'", "the stop click turns the status off");
        var api = await SymbolAsync(host);
        ((string)api["status"]!).Should().Be("off", "the click stopped the engine's symbol, not only the badge");
    }

    private static void SaveScreenshot(byte[] png)
    {
        png.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "NaiveStrategy.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        if (root is null)
        {
            return;
        }

        // TestResults/ always; docs/dashboard.png (shown in the README) only when asked to refresh it.
        Directory.CreateDirectory(Path.Combine(root, "TestResults"));
        File.WriteAllBytes(Path.Combine(root, "TestResults", "dashboard.png"), png);
        if (Environment.GetEnvironmentVariable("NAIVE_UPDATE_SCREENSHOT") == "1")
        {
            File.WriteAllBytes(Path.Combine(root, "docs", "dashboard.png"), png);
        }
    }

    private static async Task<JsonNode> SymbolAsync(DashboardHost host)
    {
        using var client = new HttpClient { BaseAddress = host.Dashboard };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardHost.Token);
        return JsonNode.Parse(await client.GetStringAsync(new Uri("api/symbols/XRPUSDT", UriKind.Relative)))!;
    }

    // Every trader id the engine has had: its traders now, and those the events named (so one that finished meanwhile counts).
    private static async Task<HashSet<string>> TraderIdsAsync(DashboardHost host)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in (await SymbolAsync(host))["traders"]!.AsArray())
        {
            ids.Add((string)t!["id"]!);
        }

        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(host.Live.Output, @"trader ([a-z0-9]+-[A-Z0-9]+-\d+)"))
        {
            ids.Add(m.Groups[1].Value);
        }

        return ids;
    }
}

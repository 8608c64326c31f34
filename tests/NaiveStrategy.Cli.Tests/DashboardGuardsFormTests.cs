using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Cli.Tests;

/// <summary>The dashboard's risk-guards form in a real browser against the sample's <c>live</c> on the sandbox.</summary>
public sealed class DashboardGuardsFormTests
{
    private const string Form = "form.guards[data-symbol=XRPUSDT]";

    [ChromiumFact]
    public async Task GuardsForm_InvalidThenValidThenRefusedToken_ShowsTheRefusalAppliesTheGuardsAndSendsNothingWithoutTheToken()
    {
        await using var host = await DashboardHost.StartAsync(feedMarket: false);
        await using var browser = await Chromium.StartAsync();
        await browser.NavigateAsync(new Uri(host.Dashboard, "/#token=" + DashboardHost.Token));
        await browser.UntilAsync($"document.querySelector('{Form}')", "the page shows the guards form");

        // A value the engine refuses: its message next to its field, nothing changed.
        await SubmitAsync(browser, new() { ["maxDrawdown"] = "5" });
        await browser.UntilAsync($"document.querySelector('{Form} [data-error-for=maxDrawdown]').textContent.includes('max_drawdown must be in (0, 1) when set, got 5')", "the refusal is shown next to its field");
        (await SettingsAsync(host))["maxDrawdown"].Should().BeNull("a refused patch changes nothing");

        // Valid guards: applied by the engine, and the form shows them once the page refreshes.
        await SubmitAsync(browser, new() { ["maxDrawdown"] = "0.05", ["stopLossPrice"] = "0.3", ["guardAction"] = "exit" });
        await browser.UntilAsync($"document.querySelector('{Form}') && !document.querySelector('{Form}').dataset.keep && document.querySelector('{Form} input[name=maxDrawdown]').value === '0.05'", "the page shows the applied guards");
        var settings = await SettingsAsync(host);
        ((decimal)settings["maxDrawdown"]!).Should().Be(0.05m);
        ((decimal)settings["stopLossPrice"]!).Should().Be(0.3m);
        ((string)settings["guardAction"]!).Should().Be("exit");

        // A token the API refuses: the page asks for the token again and the engine's guards stay as they were.
        await browser.EvaluateAsync("token = 'a-token-the-api-does-not-know'");
        await SubmitAsync(browser, new() { ["maxDrawdown"] = "" });
        await browser.UntilAsync("!document.getElementById('login').hidden", "the page asks for the token again");
        ((decimal)(await SettingsAsync(host))["maxDrawdown"]!).Should().Be(0.05m);
    }

    // Types the values as a user would (input events, so the form is kept while the page refreshes), then clicks Apply.
    private static async Task SubmitAsync(Chromium browser, Dictionary<string, string> values)
    {
        var script = $$"""
            (() => {
              const form = document.querySelector('{{Form}}');
              const values = {{JsonSerializer.Serialize(values)}};
              for (const [name, value] of Object.entries(values)) {
                form.elements[name].value = value;
                form.elements[name].dispatchEvent(new Event(name === 'guardAction' ? 'change' : 'input', { bubbles: true }));
              }
              form.dataset.keep = '1';
              form.querySelector('button[type=submit]').scrollIntoView();
              return true;
            })()
            """;
        await browser.EvaluateAsync(script);
        await browser.ClickAsync(Form + " button[type=submit]");
    }

    private static async Task<JsonNode> SettingsAsync(DashboardHost host)
    {
        using var client = new HttpClient { BaseAddress = host.Dashboard };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardHost.Token);
        return JsonNode.Parse(await client.GetStringAsync(new Uri("api/symbols/XRPUSDT", UriKind.Relative)))!["settings"]!;
    }
}

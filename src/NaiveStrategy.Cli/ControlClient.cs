using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using NaiveStrategy.AspNetCore;

namespace NaiveStrategy.Cli;

/// <summary>
/// <c>ctl --url URL symbols | start S | stop S | shutdown S | set S --chunks 3 …</c>: drives a running live or
/// paper through its control API, the token from NAIVE_API_TOKEN.
/// </summary>
internal static class ControlClient
{
    private static readonly (string Option, string Field)[] Settings =
        [("budget", "budget"), ("chunks", "chunks"), ("buy-down", "buyDownInterval"), ("profit", "profitInterval"), ("rebuy", "rebuyInterval")];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (url, words, options) = Split(args);
        if (url is null)
        {
            throw new UsageException("ctl needs --url URL: the address live or paper printed as 'dashboard: …'.");
        }

        var baseAddress = (Uri)CliOptions.Parse("url", url);

        var (method, path, body) = words switch
        {
            ["symbols"] => (HttpMethod.Get, "api/symbols", null),
            [var action and ("start" or "stop" or "shutdown"), var symbol] => (HttpMethod.Post, $"api/symbols/{Symbol(symbol)}/{action}", null),
            ["set", var symbol] => (HttpMethod.Patch, $"api/symbols/{Symbol(symbol)}/settings", Patch(options)),
            [] => throw new UsageException("ctl needs a command: symbols, start S, stop S, shutdown S or set S --chunks N …"),
            [var command, ..] when command is "start" or "stop" or "shutdown" or "set" => throw new UsageException($"ctl {command} needs one symbol, e.g. ctl --url URL {command} XRPUSDT."),
            [var command, ..] => throw new UsageException($"unknown ctl command '{command}'; use symbols, start S, stop S, shutdown S or set S --chunks N …"),
        };
        if (body is null && options.Count > 0)
        {
            throw new UsageException($"ctl {words[0]} takes no options, got '{options[0]}'.");
        }

        // The line is checked first: a bad option is named even when the token is missing.
        var token = Environment.GetEnvironmentVariable(NaiveStrategyApiOptions.TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new UsageException($"ctl needs the API token in the environment variable {NaiveStrategyApiOptions.TokenVariable}.");
        }

        using var client = new HttpClient { BaseAddress = new Uri(baseAddress.ToString().TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"error: cannot reach {baseAddress}: {ex.Message}");
            return 1;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                await error.WriteLineAsync($"error: {baseAddress} refused the token in {NaiveStrategyApiOptions.TokenVariable}.");
                return 1;
            }

            using var json = JsonDocument.Parse(text.Length == 0 ? "null" : text);
            if (!response.IsSuccessStatusCode)
            {
                var detail = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : text;
                await error.WriteLineAsync($"error: {(int)response.StatusCode} {detail}");
                return 1;
            }

            var root = json.RootElement;
            switch (words[0])
            {
                case "symbols":
                    foreach (var symbol in root.EnumerateArray())
                    {
                        Print(output, symbol);
                    }

                    break;
                case "set":
                    output.WriteLine($"{Symbol(words[1])} settings: {SettingsLine(root)}");
                    break;
                default:
                    output.WriteLine($"{root.GetProperty("symbol").GetString()}: {root.GetProperty("status").GetString()}");
                    break;
            }
        }

        return 0;
    }

    private static string Symbol(string text) => text.ToUpperInvariant();

    // --url anywhere; words before the first other option; options after.
    private static (string? Url, List<string> Words, List<string> Options) Split(string[] args)
    {
        string? url = null;
        var words = new List<string>();
        var options = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--url")
            {
                url = i + 1 < args.Length ? args[++i] : throw new UsageException("--url needs a value.");
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) || options.Count > 0)
            {
                options.Add(args[i]);
            }
            else
            {
                words.Add(args[i]);
            }
        }

        return (url, words, options);
    }

    private static Dictionary<string, string> Patch(List<string> options)
    {
        // A patch sends only what the command line names, never the sample's configured settings.
        var cl = new CommandLine("ctl", options, [.. Settings.Select(s => s.Option)], [], fromConfiguration: false);
        var patch = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, field) in Settings)
        {
            if (cl.String(option) is { } value)
            {
                patch[field] = value;
            }
        }

        return patch.Count > 0 ? patch : throw new UsageException("ctl set needs at least one of --budget, --chunks, --buy-down, --profit, --rebuy.");
    }

    private static void Print(TextWriter output, JsonElement s)
    {
        var traders = s.GetProperty("traders").GetArrayLength();
        var open = s.GetProperty("openOrders").GetArrayLength();
        var waiting = s.GetProperty("waitingForFunds").GetBoolean() ? ", waiting for funds" : "";
        output.WriteLine($"{s.GetProperty("symbol").GetString()} {s.GetProperty("status").GetString()}{waiting}: {SettingsLine(s.GetProperty("settings"))}; traders {traders.ToString(CultureInfo.InvariantCulture)}, open orders {open.ToString(CultureInfo.InvariantCulture)}, realized PnL {s.GetProperty("realizedPnl").GetRawText()}, dust {s.GetProperty("dust").GetRawText()}");
        foreach (var t in s.GetProperty("traders").EnumerateArray())
        {
            var order = t.TryGetProperty("sellOrder", out var sell) ? sell : t.TryGetProperty("buyOrder", out var buy) ? buy : (JsonElement?)null;
            var describe = order is { } o ? $"{o.GetProperty("side").GetString()} {o.GetProperty("executedQuantity").GetRawText()}/{o.GetProperty("quantity").GetRawText()} @ {o.GetProperty("price").GetRawText()} {o.GetProperty("status").GetString()}" : "no order yet";
            output.WriteLine($"  trader {t.GetProperty("id").GetString()} {t.GetProperty("phase").GetString()}: {describe}");
        }
    }

    private static string SettingsLine(JsonElement settings) =>
        $"budget {settings.GetProperty("budget").GetRawText()}, chunks {settings.GetProperty("chunks").GetRawText()}, buy_down {settings.GetProperty("buyDownInterval").GetRawText()}, profit {settings.GetProperty("profitInterval").GetRawText()}, rebuy {settings.GetProperty("rebuyInterval").GetRawText()}";
}

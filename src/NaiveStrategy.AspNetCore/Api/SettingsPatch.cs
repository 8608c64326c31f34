using System.Globalization;
using System.Text.Json;

namespace NaiveStrategy.AspNetCore;

/// <summary>
/// A PATCH of a symbol's settings: any of <c>budget</c>, <c>chunks</c>, <c>buyDownInterval</c>,
/// <c>profitInterval</c>, <c>rebuyInterval</c>, and the risk guards <c>stopLossPrice</c>, <c>takeProfitPrice</c>,
/// <c>maxDrawdown</c>, <c>maxDailyLoss</c> (a number, or null to turn it off) and <c>guardAction</c> (<c>stop</c> or
/// <c>exit</c>). Each error is keyed by the field it is about.
/// </summary>
internal static class SettingsPatch
{
    private static readonly string[] Fields = ["budget", "chunks", "buyDownInterval", "profitInterval", "rebuyInterval", "stopLossPrice", "takeProfitPrice", "maxDrawdown", "maxDailyLoss", "guardAction"];

    // The core's messages name fields in snake_case (SymbolSettings.FindErrors).
    private static readonly (string Core, string Api)[] CoreNames =
        [("budget", "budget"), ("chunks", "chunks"), ("buy_down_interval", "buyDownInterval"), ("profit_interval", "profitInterval"), ("rebuy_interval", "rebuyInterval"), ("fee_rate", "feeRate"), ("stop_loss_price", "stopLossPrice"), ("take_profit_price", "takeProfitPrice"), ("max_drawdown", "maxDrawdown"), ("max_daily_loss", "maxDailyLoss")];

    /// <summary>The patched settings, or the errors by field.</summary>
    public static (SymbolSettings? Settings, Dictionary<string, string[]> Errors) Apply(SymbolSettings current, JsonElement body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = [$"the body must be a JSON object with any of {string.Join(", ", Fields)}."];
            return (null, errors);
        }

        var settings = current;
        var any = false;
        foreach (var property in body.EnumerateObject())
        {
            any = true;
            switch (property.Name)
            {
                case "budget" when Decimal(property, errors) is { } v:
                    settings = settings with { Budget = v };
                    break;
                case "chunks" when Decimal(property, errors) is { } v:
                    if (v % 1 != 0 || v < 1 || v > int.MaxValue)
                    {
                        errors["chunks"] = [$"chunks must be a whole number >= 1, got {v.ToString(CultureInfo.InvariantCulture)}."];
                    }
                    else
                    {
                        settings = settings with { Chunks = (int)v };
                    }

                    break;
                case "buyDownInterval" when Decimal(property, errors) is { } v:
                    settings = settings with { BuyDownInterval = v };
                    break;
                case "profitInterval" when Decimal(property, errors) is { } v:
                    settings = settings with { ProfitInterval = v };
                    break;
                case "rebuyInterval" when Decimal(property, errors) is { } v:
                    settings = settings with { RebuyInterval = v };
                    break;
                case "stopLossPrice" or "takeProfitPrice" or "maxDrawdown" or "maxDailyLoss" when property.Value.ValueKind == JsonValueKind.Null:
                    settings = Guard(settings, property.Name, null);
                    break;
                case "stopLossPrice" or "takeProfitPrice" or "maxDrawdown" or "maxDailyLoss" when Decimal(property, errors) is { } v:
                    settings = Guard(settings, property.Name, v);
                    break;
                case "guardAction" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is "stop" or "exit":
                    settings = settings with { GuardAction = property.Value.GetString() == "exit" ? GuardAction.Exit : GuardAction.Stop };
                    break;
                case "guardAction":
                    errors["guardAction"] = [$"guardAction must be \"stop\" or \"exit\", got {property.Value.GetRawText()}."];
                    break;
                case "budget" or "chunks" or "buyDownInterval" or "profitInterval" or "rebuyInterval" or "stopLossPrice" or "takeProfitPrice" or "maxDrawdown" or "maxDailyLoss":
                    break; // Decimal named the problem.
                default:
                    errors[property.Name] = [$"'{property.Name}' is not a setting that can be changed; use any of {string.Join(", ", Fields)}."];
                    break;
            }
        }

        if (!any)
        {
            errors["body"] = [$"nothing to change: give any of {string.Join(", ", Fields)}."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        foreach (var message in settings.FindErrors())
        {
            var field = CoreNames.FirstOrDefault(n => message.Contains(n.Core + " must", StringComparison.Ordinal)).Api ?? "settings";
            errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
        }

        return errors.Count == 0 ? (settings, errors) : (null, errors);
    }

    private static SymbolSettings Guard(SymbolSettings settings, string field, decimal? value) => field switch
    {
        "stopLossPrice" => settings with { StopLossPrice = value },
        "takeProfitPrice" => settings with { TakeProfitPrice = value },
        "maxDrawdown" => settings with { MaxDrawdown = value },
        _ => settings with { MaxDailyLoss = value },
    };

    private static decimal? Decimal(JsonProperty property, Dictionary<string, string[]> errors)
    {
        var value = property.Value;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        errors[property.Name] = [$"{property.Name} must be a number, got {value.GetRawText()}."];
        return null;
    }
}

using System.Globalization;
using System.Text;
using NaiveStrategy.Mock;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Cli;

/// <summary>
/// Writes a backtest's order journal as CSV, one row per order in placement order, placements the exchange
/// refused included (status REJECTED, the exchange's code in <c>error</c>, no order id). Values are invariant:
/// prices and quantities at the symbol's tick and step, commission as a plain decimal, time in ISO-8601 UTC
/// (the order's last update, or the refusal, in market time).
/// </summary>
internal static class OrdersCsv
{
    // The first eight columns keep their order: readers of older files index them.
    public const string Header = "order_id,client_order_id,trader_id,side,price,quantity,executed_quantity,status,commission,commission_asset,time,error";

    public static void Write(string path, IReadOnlyList<JournalEntry> journal, Func<string, SymbolFilters> filtersOf)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        Write(writer, journal, filtersOf);
    }

    public static void Write(TextWriter writer, IReadOnlyList<JournalEntry> journal, Func<string, SymbolFilters> filtersOf)
    {
        writer.WriteLine(Header);
        foreach (var entry in journal)
        {
            writer.WriteLine(Row(entry, filtersOf(entry.Order.Symbol)));
        }
    }

    public static string Row(JournalEntry entry, SymbolFilters filters)
    {
        var order = entry.Order;
        var inv = CultureInfo.InvariantCulture;
        return string.Join(',',
            entry.Error is null ? order.OrderId.ToString(inv) : "",
            order.ClientOrderId,
            entry.TraderId,
            order.Side == OrderSide.Buy ? "BUY" : "SELL",
            filters.FormatPrice(order.Price),
            filters.FormatQuantity(order.Quantity),
            filters.FormatQuantity(order.ExecutedQuantity),
            StatusName(order.Status),
            order.Commission.ToString(inv),
            order.CommissionAsset ?? "",
            order.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", inv),
            entry.Error?.Code.ToString(inv) ?? "");
    }

    public static string StatusName(OrderStatus status) => status switch
    {
        OrderStatus.PendingNew => "PENDING_NEW",
        OrderStatus.New => "NEW",
        OrderStatus.PartiallyFilled => "PARTIALLY_FILLED",
        OrderStatus.Filled => "FILLED",
        OrderStatus.PendingCancel => "PENDING_CANCEL",
        OrderStatus.Canceled => "CANCELED",
        OrderStatus.Rejected => "REJECTED",
        OrderStatus.Expired => "EXPIRED",
        _ => status.ToString().ToUpperInvariant(),
    };
}

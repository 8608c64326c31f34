using System.Text;
using NaiveStrategy.Mock;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Sample;

/// <summary>Writes a backtest's order journal as CSV, one row per order in placement order.</summary>
internal static class OrdersCsv
{
    public const string Header = "order_id,client_order_id,trader_id,side,price,quantity,executed_quantity,status";

    public static void Write(string path, IReadOnlyList<JournalEntry> journal, Func<string, SymbolFilters> filtersOf)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(Header);
        foreach (var (order, traderId) in journal)
        {
            var f = filtersOf(order.Symbol);
            writer.WriteLine(string.Join(',',
                order.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                order.ClientOrderId,
                traderId,
                order.Side == OrderSide.Buy ? "BUY" : "SELL",
                f.FormatPrice(order.Price),
                f.FormatQuantity(order.Quantity),
                f.FormatQuantity(order.ExecutedQuantity),
                StatusName(order.Status)));
        }
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

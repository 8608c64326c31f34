using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace NaiveStrategy.Sqlite;

// The run journal (schema 5): marks tying starts, settings changes and order events to the market, for parity.
public sealed partial class SqliteStrategyStore
{
    /// <inheritdoc />
    /// <exception cref="StrategyStoreException">The write failed (disk full, I/O error).</exception>
    public void RecordMarks(IReadOnlyList<RunMark> marks)
    {
        ArgumentNullException.ThrowIfNull(marks);
        var json = marks.Select(m => JsonSerializer.Serialize(m ?? throw new ArgumentException("A mark is null.", nameof(marks)), StoreJson.Default.RunMark)).ToArray();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfReadOnly();
            try
            {
                using var transaction = _connection.BeginTransaction();
                for (var i = 0; i < marks.Count; i++)
                {
                    Insert(transaction, marks[i], json[i]);
                }

                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new StrategyStoreException(Path, $"Could not record {marks.Count.ToString(CultureInfo.InvariantCulture)} run marks in the strategy store {Path}: {ex.Message}", ex);
            }
        }
    }

    private void Insert(SqliteTransaction transaction, RunMark mark, string json)
    {
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText =
                    """
                    INSERT INTO run_marks (symbol, kind, trade_id, market_time_ms, mark, time, time_ms)
                    VALUES ($symbol, $kind, $trade, $market, $mark, $time, $ms);
                    """;
                command.Parameters.AddWithValue("$symbol", mark.Symbol);
                command.Parameters.AddWithValue("$kind", mark.Kind.ToString());
                command.Parameters.AddWithValue("$trade", (object?)mark.TradeId ?? DBNull.Value);
                command.Parameters.AddWithValue("$market", (object?)mark.MarketTime?.ToUnixTimeMilliseconds() ?? DBNull.Value);
                command.Parameters.AddWithValue("$mark", json);
                command.Parameters.AddWithValue("$time", SqliteValues.Time(mark.Time));
                command.Parameters.AddWithValue("$ms", mark.Time.ToUnixTimeMilliseconds());
                command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    /// <exception cref="StrategyStoreException">A row cannot be read.</exception>
    public IReadOnlyList<RunMark> ReadMarks(string? symbol = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, mark FROM run_marks WHERE $p IS NULL OR symbol = $p ORDER BY id;";
            command.Parameters.AddWithValue("$p", (object?)symbol ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            var marks = new List<RunMark>();
            while (reader.Read())
            {
                var where = "run_marks row " + reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
                try
                {
                    marks.Add(JsonSerializer.Deserialize(reader.GetString(1), StoreJson.Default.RunMark) ?? throw new JsonException("null"));
                }
                catch (JsonException ex)
                {
                    throw new StrategyStoreException(Path, $"The strategy store {Path} has an unreadable {where}: {ex.Message}", ex);
                }
            }

            return marks;
        }
    }
}

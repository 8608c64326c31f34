namespace NaiveStrategy.Sqlite;

/// <summary>One step of the schema, applied once, in order, inside a transaction.</summary>
/// <param name="Version">The schema version the step leads to (1, 2, …).</param>
/// <param name="Description">What it changes, stored in schema_version.</param>
/// <param name="Sql">The statements.</param>
/// <param name="CreatesTables">Tables it creates, so a file with unknown tables is recognised as foreign.</param>
internal sealed record Migration(int Version, string Description, string Sql, IReadOnlyList<string> CreatesTables)
{
    /// <summary>The schema this code writes. Append new steps; never edit a shipped one.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial schema: settings, traders, intent and order update journals", """
            CREATE TABLE schema_version (
                version     INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            );
            CREATE TABLE symbols (
                symbol     TEXT PRIMARY KEY,
                settings   TEXT NOT NULL,
                status     TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE TABLE traders (
                trader_id  TEXT PRIMARY KEY,
                symbol     TEXT NOT NULL,
                position   INTEGER NOT NULL,
                state      TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX traders_symbol ON traders (symbol, position);
            CREATE TABLE intents (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                symbol          TEXT NOT NULL,
                trader_id       TEXT NOT NULL,
                client_order_id TEXT NOT NULL UNIQUE,
                side            TEXT NOT NULL,
                price           TEXT NOT NULL,
                quantity        TEXT NOT NULL,
                time            TEXT NOT NULL,
                time_ms         INTEGER NOT NULL
            );
            CREATE TABLE order_updates (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                symbol           TEXT NOT NULL,
                client_order_id  TEXT NOT NULL,
                order_id         INTEGER NOT NULL,
                side             TEXT NOT NULL,
                price            TEXT NOT NULL,
                quantity         TEXT NOT NULL,
                status           TEXT NOT NULL,
                executed_qty     TEXT NOT NULL,
                commission       TEXT NOT NULL,
                commission_asset TEXT,
                time             TEXT NOT NULL,
                time_ms          INTEGER NOT NULL
            );
            CREATE INDEX order_updates_client_order_id ON order_updates (client_order_id);
            """,
            ["schema_version", "symbols", "traders", "intents", "order_updates"]),
        new(2, "symbols.next_trader: the Leader's trader numbering, restored with its state", """
            ALTER TABLE symbols ADD COLUMN next_trader INTEGER NOT NULL DEFAULT 1;
            """,
            []),
        new(3, "symbols.dust and symbols.realized_pnl: the Leader's unsold base below one step and its finished traders' PnL, restored with its state", """
            ALTER TABLE symbols ADD COLUMN dust TEXT NOT NULL DEFAULT '0';
            ALTER TABLE symbols ADD COLUMN realized_pnl TEXT NOT NULL DEFAULT '0';
            """,
            []),
        new(4, "symbols.guard: the Leader's risk guards (peak equity, market day, a fired guard and its exit), restored with its state", """
            ALTER TABLE symbols ADD COLUMN guard TEXT;
            """,
            []),
        new(5, "run_marks: starts, settings changes and order events tied to the last market trade received, for parity reports", """
            CREATE TABLE run_marks (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                symbol         TEXT NOT NULL,
                kind           TEXT NOT NULL,
                trade_id       INTEGER,
                market_time_ms INTEGER,
                mark           TEXT NOT NULL,
                time           TEXT NOT NULL,
                time_ms        INTEGER NOT NULL
            );
            CREATE INDEX run_marks_symbol ON run_marks (symbol, id);
            """,
            ["run_marks"]),
        new(6, "order_updates.source and order_updates.reordered: how the engine learned of each update (answer, stream, query) and whether the stream reordered it, for parity reports", """
            ALTER TABLE order_updates ADD COLUMN source TEXT NOT NULL DEFAULT 'Unknown';
            ALTER TABLE order_updates ADD COLUMN reordered INTEGER NOT NULL DEFAULT 0;
            """,
            []),
    ];
}

namespace NaiveStrategy.Cli;

/// <summary>The general usage: the one place commands and options are described (<see cref="OptionHelp"/> reads it for <c>--help</c>).</summary>
public static partial class CliApp
{
    internal const string Usage = """
        usage: naive <command> [options]
          backtest   replay trades through the strategy on the in-memory exchange and report
          sweep      run a grid of settings over the same trades (read once) and rank by PnL; with --cluster
                     --redis HOST:PORT [--cluster-id ID] the combinations are spread over the silos of a cluster
          sandbox    a Binance-compatible server on 127.0.0.1 backed by the in-memory exchange; prints its
                     REST, WebSocket API and streams URLs: --port N --exchange-info PATH --trades PATH
                     --speed X --api-key K --secret-key S --faults delay=200ms,order5xx=1,429=1,duplicate,…
                     --partial-fills (keys also from NAIVE_SANDBOX_API_KEY and NAIVE_SANDBOX_SECRET_KEY;
                     flags win)
          paper      real Binance market data, fills simulated locally (no keys): --symbol S[,S…] [--partial-fills]
                     [strategy options] [--http ADDRESS:PORT]
          live       Binance testnet (--production for the real exchange), keys from NAIVE_BINANCE_API_KEY and
                     NAIVE_BINANCE_SECRET_KEY (or NAIVE_BINANCE_PRIVATE_KEY_FILE, an Ed25519/RSA PEM), state in --state
                     PATH (default naive-state.db; resumes after a restart; one live per state file): --symbol S[,S…]
                     (each symbol's own settings from Sample:Symbols:S in appsettings.json)
                     [--rest-url U --ws-api-url U --stream-url U]
                     [strategy options] [--http ADDRESS:PORT]
          status     print the symbols, traders and open orders of --state PATH (reads only; works while
                     live runs)
          parity     does the backtest predict live? replay what live recorded and compare order by order:
                     --state PATH --trades DIR (default: recordings beside the state file) [--out PATH.csv]
                     [--plot PATH.png] (every divergence with its cause)
          silo       one silo of an Orleans cluster (membership and state in Redis) trading on Binance like live,
                     each symbol's Leader on one silo, moved to another when its silo is lost; it also runs parts
                     of sweeps: --redis HOST:PORT [--symbol S[,S…]] [--address IP --silo-port N
                     --gateway-port N --cluster-id ID] [--rest-url U --ws-api-url U --stream-url U]
                     [strategy options]
          ctl        drive a running live or paper through its control API, token from NAIVE_API_TOKEN:
                     --url URL symbols | start S | stop S | shutdown S | set S --budget D --chunks N
                     --buy-down D --profit D --rebuy D
          download   fetch Binance's public spot trade files, verified against their .CHECKSUM (SHA-256):
                     --symbol S[,S…] --from DATE --to DATE [--kind trades|aggTrades] [--out DIR]
                     [--base-url URL] (whole published months as monthly files, other days daily)
          catalog    catalog import --trades PATH --out DIR: convert trade files (csv or zip) into a
                     Parquet catalog (one file per symbol and day) that --trades DIR replays directly
          generate   write a seeded synthetic trades file in Binance's public-data format:
                       --out PATH --count N --seed N --start-price D --tick-size D --step-size D
                       --start 2024-01-01T00:00:00Z --volatility D --drift D[,D…] (per equal segment)
          completion print the tab-completion script of a shell: naive completion bash|zsh|pwsh
                     (eval "$(naive completion bash)" in ~/.bashrc)

        data and market:
          --trades PATH        Binance public-data trades: .csv or .zip files, a directory or a glob; repeat
                               for more (several symbols are merged by time); default: the bundled sample
          --symbol S           symbol when file names do not carry it (SYMBOL-trades-YYYY-MM-DD.csv)
          --from DATE          first UTC day to replay (YYYY-MM-DD): files and catalog days before it are not read
          --to DATE            last UTC day to replay (inclusive)
          --skip-bad-lines     count malformed lines by reason instead of stopping at the first
          --partial-fills      fill model (also paper and sandbox): a market trade fills crossing orders only
                               up to its own quantity; default: a crossing order fills fully (the book's mock).
                               The report and --json name the model used
          --exchange-info PATH symbol filters from a Binance exchangeInfo JSON file (NOTIONAL or MIN_NOTIONAL);
                               without it, the next three options give them
          --tick-size D        PRICE_FILTER tickSize, > 0 and <= 1000000 (default 0.0001)
          --step-size D        LOT_SIZE stepSize, > 0 and <= 1000000000 (default 1)
          --min-notional D     NOTIONAL minNotional, >= 0 and <= 1000000000000 (default 10)
        strategy (sweep: a value, a list a,b,c or a range start:stop:step; at most 1000 combinations):
          --budget D           quote budget per symbol, > 0 and <= 1000000000000 (default 100)
          --chunks N           max traders in parallel, 1 to 1000 (default 5)
          --buy-down D         buy_down_interval (default 0.0001)
          --profit D           profit_interval (default -0.0012)
          --rebuy D            rebuy_interval (default 0.001)
          --fee D              exchange fee rate, maker and taker (default 0.001)
          --taker-fee D        taker fee rate only (backtest, paper, sandbox): an order that crosses the last
                               trade's price fills at once at that price as taker (default: --fee)
          --max-buy-wait W     optional stale-BUY rule, off by default (the book's BUY waits): an unfilled BUY is
                               canceled and placed again under the current price after a duration of market
                               time (90s, 30m, 2h, 1d) or once the price has risen a distance (1.5%) above where
                               it was placed; off to compare (sweep: off,30m,1%)
          --stop-loss P        risk guard, off by default: a market trade at or below price P fires it
          --take-profit P      risk guard: a market trade at or above price P fires it
          --max-drawdown F     risk guard: equity (marked to market) a fraction F below its peak (0.05 = 5 %)
          --max-daily-loss Q   risk guard: Q quote lost (realized + unrealized) since 00:00 UTC of market time
          --guard-action A     stop (default: cancel open BUYs, holders keep their SELLs, no new trader) or exit
                               (cancel every order, sell all held with one MARKET order); a fired guard keeps
                               the symbol off until started again (sweep: each takes off and lists, e.g.
                               --max-drawdown off,0.05 --guard-action stop,exit)
          --account-max-drawdown F  backtest, paper, live: the account's equity (every symbol's) a fraction F
                               below its peak fires every symbol's guard with --guard-action
          --threads N          1: read, parse and replay on one thread; more: read and parse on their own
                               thread while the strategy runs, a backtest's symbols (each with its own engine)
                               or a sweep's settings on up to N cores at once (default: every core); the
                               results are the same
          --no-skip            backtest, sweep: replay every trade instead of jumping over the trades that
                               change nothing (found with an index per batch); the same report, orders and JSON
          --walk-forward T:S   sweep: rolling windows of market time, training T then test S (7d:1d, 12h:2h):
                               the best setting on each training window (--rank-by) runs on the next test
                               window; prints the out-of-sample PnL, drawdown and rank per window and in total
                               (the trades are held in memory)
          --rank-by R          sweep --walk-forward: pnl (default), return-over-drawdown or sharpe (daily
                               returns of marked equity)
        output (backtest):
          --orders-out PATH    write every order as CSV, refused placements included (status REJECTED, the
                               exchange's code in the error column)
          --json PATH          write the report as JSON
          --plot PATH          draw the equity curve and price as PNG (parity: live's and the replay's
                               equity on one chart, divergences marked)
          --log-level LEVEL    Trace, Debug, Information, Warning, Error, None; logs go to stderr, so stdout
                               carries only the command's result (backtest > report.txt). Default: backtest,
                               paper and live Information; sweep None (each setting's engine logs); sandbox
                               and silo Warning
        sandbox, paper, live, status, ctl:
          --port N             sandbox: the port on 127.0.0.1 (default 0: any free port)
          --speed X            sandbox: replay speed of --trades (default 1: the trades' own pace; 0: as fast
                               as possible)
          --api-key K          sandbox: the API key it accepts (or NAIVE_SANDBOX_API_KEY)
          --secret-key S       sandbox: that key's secret (or NAIVE_SANDBOX_SECRET_KEY)
          --public-key-file F  sandbox: that key is Ed25519 or RSA, verified with this PEM public key
          --faults LIST        sandbox: faults to inject, e.g. delay=200ms,order5xx=1,429=1,duplicate
          --production         paper, live, silo: the real Binance instead of the testnet
          --rest-url U         live, silo: REST base URL (e.g. the sandbox's)
          --ws-api-url U       live, silo: WebSocket API URL (e.g. the sandbox's)
          --stream-url U       paper, live, silo: market streams URL (e.g. the sandbox's)
          --state PATH         live, status, parity: the SQLite state file (default naive-state.db)
          --record DIR         live, paper: record every market trade received as public-data files in DIR
                               (default: recordings beside the state file; off turns it off)
          --http ADDRESS:PORT  live, paper: serve the control API and the dashboard there (port 0 = any free
                               port; ADDRESS defaults to 127.0.0.1) and print 'dashboard: http://ADDRESS:PORT/';
                               the API token is NAIVE_API_TOKEN, or generated and printed once
          --url URL            ctl: the address live or paper printed as 'dashboard: …'
        silo, sweep --cluster:
          --cluster            sweep: deal the combinations round-robin over the cluster's silos (each reads the
                               trade files once, at the same path); the ranking is the local sweep's
          --redis HOST:PORT    the Redis that holds the cluster's membership and the Leaders' state (a
                               StackExchange.Redis configuration string also works)
          --redis-wait SECONDS how long to wait for that Redis to answer at start before giving up with
                               an error (default 30)
          --address IP         the address this silo listens on and advertises to the others (default
                               127.0.0.1: every silo on this machine)
          --silo-port N        this silo's port for the other silos (default 11111)
          --gateway-port N     this silo's port for clients (default 30000)
          --cluster-id ID      the cluster's name, the same on every silo (default naive-strategy)
        download, catalog import, generate:
          --out PATH           download: the directory for the zips (default data); catalog import: the
                               catalog's directory; generate: the file, named SYMBOL-trades-YYYY-MM-DD.csv;
                               parity: one CSV row per order of either run (matched, live only, replay only)
          --kind KIND          download: trades (default) or aggTrades
          --compression C      catalog import: none (default: the fastest replay), snappy (2.6 times
                               smaller, about half the replay rate) or zstd (smallest, slowest)
          --base-url URL       download: the public data site (default https://data.binance.vision/)
          --parallel N         download: files fetched at once, 1 to 16 (default 4)
          --count N            trades to write, 1 to 1000000000 (default 100000)
          --seed N             random seed (default 42): the same seed writes the same file
          --start-price D      first price (default 0.62)
          --start T            time of the first trade (default 2024-01-01T00:00:00Z)
          --volatility D       per-trade log-return deviation, 0 to 0.1 (default 0.0002)
          --drift D            per-trade drift, -0.01 to 0.01; a list D,D,… gives one per equal segment
        """;
}

using System.Diagnostics;
using BenchmarkDotNet.Running;
using NaiveStrategy.Benchmarks;

// "peak N [THREADS [catalog]]": replay an N-trade file (or, with "catalog", its Parquet catalog) once through the pipeline
// (pipelined with THREADS > 1) and print the process's peak working set, to show memory does not grow with the file's
// length. Anything else goes to BenchmarkDotNet.
if (args is ["peak", var size, ..])
{
    var trades = int.Parse(size, System.Globalization.CultureInfo.InvariantCulture);
    var path = args is [_, _, _, "catalog"] ? BenchmarkData.Catalog(trades) : BenchmarkData.File(trades);
    var watch = Stopwatch.StartNew();
    var result = await Pipeline.RunAsync(path, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
    watch.Stop();
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    Console.WriteLine($"{trades:N0} trades: peak working set {process.PeakWorkingSet64 / (1024.0 * 1024):F1} MiB, {trades / watch.Elapsed.TotalSeconds:N0} events/s, {result.Journal.Count} orders");
    return 0;
}

// "read PATH [ROUNDS]": every trade of a file, directory or catalog through TradeFileReader, timed (no strategy).
if (args is ["read", var readPath, ..])
{
    for (var round = 0; round < (args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1); round++)
    {
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long n = 0;
        decimal volume = 0;
        foreach (var trade in NaiveStrategy.Backtesting.PublicData.TradeFileReader.Open([readPath]))
        {
            n++;
            volume += trade.Quantity;
        }

        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"read {readPath}: {n:N0} trades in {watch.Elapsed.TotalSeconds:F3} s (cpu {used.TotalSeconds:F3} s), {n / watch.Elapsed.TotalSeconds:N0} trades/s, volume {volume}; allocated {GC.GetTotalAllocatedBytes() / (1024.0 * 1024):F0} MiB, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, GC pause {GC.GetTotalPauseDuration().TotalSeconds:F3} s (process totals)");
    }

    return 0;
}

// "columns CATALOG [ROUNDS]": one symbol's catalog read as raw columns (no trade built), then indexed on them
// (TradeIndex over TradeColumns), each step timed apart: what a skipping backtest from a catalog costs before its strategy.
if (args is ["columns", var columnsPath, ..])
{
    CatalogBenchmarks.Columns(columnsPath, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return 0;
}

// "streams [SYMBOLS [TRADES_PER_SECOND [SECONDS]]]": SYMBOLS symbols' market data (1,000 by default) through the adapter's
// combined streams from the sandbox: connections, time to every symbol trading after start and after a mass drop, CPU, memory.
if (args is ["streams", ..])
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    Console.WriteLine(await ManySymbolStreams.RunAsync(Arg(1, 1_000), Arg(2, 5_000), TimeSpan.FromSeconds(Arg(3, 20))));
    return 0;
}

// "formats CSV_FILE [ROUNDS]": the file's trades written as Parquet (Parquet.Net, uncompressed and Snappy) and Arrow IPC, each read back ROUNDS times.
if (args is ["formats", var formatsFile, ..])
{
    await FormatModes.RunAsync(formatsFile, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return Environment.ExitCode;
}

// "parse FILE [ROUNDS]": a plain Span parse, our reader and Sep on the same file.
if (args is ["parse", var parseFile, ..])
{
    ParseModes.Parse(parseFile, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return 0;
}

// "replay FILE [THREADS [ROUNDS]]": the backtest of the file, sequential (1 thread) or pipelined (more; default every core).
if (args is ["replay", var replayFile, ..])
{
    var threads = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount;
    await ParseModes.ReplayAsync(replayFile, threads, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return 0;
}

// "skip FILE [SETTINGS [THREADS [full|ROUNDS]]]": a sweep from memory with exact skipping (ROUNDS times; with "full", also without), same reports.
if (args is ["skip", var skipFile, ..])
{
    await SkipModes.RunAsync(
        skipFile,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 30,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount,
        args.Length > 4 && args[4] == "full",
        args.Length > 4 && args[4] != "full" ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return 0;
}

// "symbols THREADS ROUNDS FILE…": several USDT symbols' files in memory, one engine on one thread against one engine per symbol in parallel.
if (args is ["symbols", var symbolThreads, var symbolRounds, .. var symbolFiles] && symbolFiles.Length > 0)
{
    await SymbolEngines.RunAsync(int.Parse(symbolThreads, System.Globalization.CultureInfo.InvariantCulture), int.Parse(symbolRounds, System.Globalization.CultureInfo.InvariantCulture), symbolFiles);
    return 0;
}

// "latency [N [M [SECONDS [SYMBOLS]]]]": tick-to-order latency over N orders in process (100,000 by default), then over
// M orders (default N) through the sandbox and the real Binance adapter on loopback, SYMBOLS symbols side by side
// (default 1), stopping after SECONDS (default 300). N = 0 skips the in-process part.
if (args is ["alloc", ..])
{
    using var profile = new AllocProfile();
    Console.WriteLine(await TickToOrder.InProcessAsync(100_000));
    foreach (var (type, n) in profile.Types.OrderByDescending(t => t.Value).Take(40))
    {
        Console.WriteLine($"{n,6} {type}");
    }

    return 0;
}

if (args is ["latency", ..])
{
    var orders = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
    if (orders > 0)
    {
        Console.WriteLine(await TickToOrder.InProcessAsync(orders));
    }

    var viaSandbox = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : orders;
    if (viaSandbox > 0)
    {
        Console.WriteLine(await TickToOrderSandbox.ViaSandboxAsync(
            viaSandbox,
            TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 300),
            args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 1));
    }
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ReplayBenchmarks).Assembly).Run(args);
return 0;

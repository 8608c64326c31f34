using NaiveStrategy.AspNetCore;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.Parity;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Cli;

/// <summary><c>GET /api/parity</c> of a running live: its own state file and recording, replayed on demand.</summary>
internal sealed class ParityApi(string state, string recordings) : IParitySummarySource
{
    public async Task<ParitySummary> GetSummaryAsync(CancellationToken cancellationToken)
    {
        // The recording is being written: a line cut by the writer's buffer is complete a flush (at most a second) later.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var report = await ParityCommand.CreateAsync(state, [recordings], FillModel.Full, cancellationToken);
                return new ParitySummary(report.Summary, report.LiveOrders, report.Matched, report.Diverged, report.CauseCounts);
            }
            catch (TradeFileFormatException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(1.1), cancellationToken);
            }
            catch (TradeFileFormatException ex)
            {
                throw new InvalidOperationException(ex.Message, ex);
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace NaiveStrategy.Benchmarks;

internal sealed class AllocProfile : EventListener
{
    public readonly ConcurrentDictionary<string, long> Types = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true)
        {
            var i = e.PayloadNames!.IndexOf("TypeName");
            var name = (string)e.Payload![i]!;

            // A large-object-heap allocation counts against the budget of the full collection: told apart.
            var kind = e.PayloadNames!.IndexOf("AllocationKind");
            if (kind >= 0 && Convert.ToInt32(e.Payload![kind], System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                name = "(large) " + name;
            }

            Types.AddOrUpdate(name, 1, (_, n) => n + 1);
        }
    }
}

using System.Runtime.InteropServices;
using NaiveStrategy.Cli;

using var cancel = new CancellationTokenSource();

// Ctrl+C and SIGTERM (kill, service managers, CI scripts) stop long-running commands gracefully.
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

return await CliApp.RunAsync(args, Console.Out, Console.Error, cancel.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

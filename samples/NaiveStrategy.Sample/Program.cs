using NaiveStrategy.Sample;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await SampleApp.RunAsync(args, Console.Out, Console.Error, cancel.Token);

using Appliance.Soak;

SoakSettings settings;
try
{
    settings = SoakSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(SoakSettings.Usage);
    return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

var report = await new SoakRun(settings, Console.Out).RunAsync(interrupted.Token);
report.Print(Console.Out);
return report.Lost == 0 && report.Ledger.Duplicates == 0 && report.ServiceExitCode == 0 ? 0 : 1;

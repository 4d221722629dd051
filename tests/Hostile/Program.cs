using Appliance.Hostile;

const string Usage = "usage: Appliance.Hostile bad-input --model DIR [--count 2000]\n" +
                     "       Appliance.Hostile flood --model DIR [--flood 20000] [--quiet 200]";
if (args.Length < 3 || args[1] != "--model" || args.Length % 2 != 1)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var options = new Dictionary<string, int>(StringComparer.Ordinal);
for (var i = 3; i + 1 < args.Length; i += 2)
{
    if (!int.TryParse(args[i + 1], out var value) || value < 1)
    {
        Console.Error.WriteLine($"error: {args[i]} must be a positive integer, got '{args[i + 1]}'\n{Usage}");
        return 2;
    }

    options[args[i]] = value;
}

using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
await using var rig = await HostileRig.StartAsync(args[2], timeout.Token);
var passed = args[0] switch
{
    "bad-input" => await new BadInputRun(rig, options.GetValueOrDefault("--count", 2000)).RunAsync(Console.Out, timeout.Token),
    "flood" => await new FloodRun(rig, options.GetValueOrDefault("--flood", 20000), options.GetValueOrDefault("--quiet", 200)).RunAsync(Console.Out, timeout.Token),
    _ => throw new ArgumentException($"unknown scenario '{args[0]}'\n{Usage}"),
};
var exit = await rig.StopServiceAsync();
Console.Out.WriteLine($"service exit code after SIGTERM: {exit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "still running"}");
return passed && exit == 0 ? 0 : 1;

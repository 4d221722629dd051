using System.CommandLine;
using Appliance.Quantize.Cli;

namespace Appliance.Quantize.Tests.Cli;

/// <summary>`quantize convert` in process, its output and error text captured.</summary>
internal static class ConvertRun
{
    public static (int ExitCode, string Stdout, string Stderr) Invoke(string checkpoint, string output, params string[] options)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = ConvertCommand.Create()
            .Parse([checkpoint, output, .. options])
            .Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}

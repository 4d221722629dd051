using Appliance.Inference.Models;
using System.CommandLine;
using System.Globalization;
using System.Runtime.Versioning;

namespace Appliance.Cli;

/// <summary>
/// `appliance model install DIR`: checks a model directory against its manifest (every SHA-256), then copies the
/// files the manifest vouches for into the models directory under the model's name. The copy is staged in a
/// hidden directory beside the target and renamed into place, so the service never sees half a model; an existing
/// model is replaced only with --force. Files the manifest does not list are not installed (and are named).
/// </summary>
internal static class ModelInstallCommand
{
    public const string DefaultModelsDirectory = "/var/lib/appliance/models";

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    // Readable by the service's own user whoever installs it (usually root).
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The `install` subcommand; the `model` command that holds it is <see cref="CreateModelCommand"/>.</summary>
    internal static Command Create()
    {
        var source = new Argument<string>("DIR") { Description = "Model directory made by `quantize convert` (with manifest.json)" };
        var modelsDirectory = new Option<string>("--models-dir")
        {
            HelpName = "DIR",
            Description = "Where the service's models live",
            DefaultValueFactory = _ => DefaultModelsDirectory,
        };
        var name = new Option<string?>("--name") { HelpName = "NAME", Description = "Name to install under (default: the name of DIR)" };
        var force = new Option<bool>("--force") { Description = "Replace an installed model of the same name" };
        var command = new Command("install", "Verify a model directory against its manifest and copy it into the models directory")
        {
            source, modelsDirectory, name, force,
        };
        command.SetAction((parse, cancellationToken) => CommandLineRunner.RunAsync(parse, output =>
        {
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("model install sets Unix file modes; the appliance runs on Linux.");
            }

            var from = Path.GetFullPath(parse.GetValue(source)!);
            var installed = Install(from, Path.GetFullPath(parse.GetValue(modelsDirectory)!), parse.GetValue(name), parse.GetValue(force), output, cancellationToken);
            output.WriteLine($"installed {installed}");
            output.WriteLine($"serve it with Engine:ModelPath = \"{installed}\" (or `appliance serve --model {installed}`), then restart the service");
            return Task.FromResult(0);
        }));
        return command;
    }

    /// <summary>`model` with its subcommands (today: install).</summary>
    internal static Command CreateModelCommand() => new("model", "Install models for the service") { Create() };

    /// <summary>Installs <paramref name="source"/>; returns the installed directory.</summary>
    [UnsupportedOSPlatform("windows")]
    private static string Install(string source, string modelsDirectory, string? requestedName, bool force, TextWriter output, CancellationToken cancellationToken)
    {
        var model = ModelDirectory.Open(source, verifyHashes: true);
        var manifest = model.Manifest
            ?? throw new UsageException($"{source}: no {ModelManifest.FileName}, so nothing vouches for its files; `quantize convert` writes one.");
        var name = requestedName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(source));
        CheckName(name);
        var target = Path.Combine(modelsDirectory, name);
        if (string.Equals(target, Path.TrimEndingDirectorySeparator(source), StringComparison.Ordinal))
        {
            throw new UsageException($"{source} is already installed there.");
        }

        if (Directory.Exists(target) && !force)
        {
            throw new UsageException($"{target} already exists; pass --force to replace it.");
        }

        Directory.CreateDirectory(modelsDirectory);
        var staging = Path.Combine(modelsDirectory, $".{name}.install-{Guid.NewGuid():N}");
        try
        {
            var bytes = Copy(source, staging, [.. manifest.Files.Select(file => file.Path), ModelManifest.FileName], cancellationToken);
            // Sizes and structure again, on the copy: a short write shows here, before anything is renamed into place.
            ModelDirectory.Open(staging, verifyHashes: false);
            Replace(staging, target);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"copied {manifest.Files.Count + 1} files, {bytes / 1048576.0:0.0} MiB, all SHA-256 verified"));
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        ReportUnlisted(source, manifest, output);
        return target;
    }

    private static void CheckName(string name)
    {
        var valid = name.Length > 0 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!valid)
        {
            throw new UsageException($"model name '{name}' must be letters, digits, '.', '_' or '-' and not start with '.' (give one with --name).");
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static long Copy(string source, string staging, IReadOnlyList<string> relativePaths, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(staging, DirectoryMode);
        long bytes = 0;
        foreach (var relative in relativePaths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var to = Path.Combine(staging, relative);
            var parent = Path.GetDirectoryName(to)!;
            if (!Directory.Exists(parent))
            {
                Directory.CreateDirectory(parent, DirectoryMode);
            }

            using (var input = File.OpenRead(Path.Combine(source, relative)))
            using (var copy = new FileStream(to, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode }))
            {
                input.CopyTo(copy);
                // On disk before the rename publishes it: a power cut must not leave an installed model with empty files.
                copy.Flush(flushToDisk: true);
                bytes += copy.Length;
            }
        }

        return bytes;
    }

    /// <summary>Renames the staged copy into place; an existing model is moved aside first and deleted after.</summary>
    private static void Replace(string staging, string target)
    {
        string? previous = null;
        if (Directory.Exists(target))
        {
            previous = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
            Directory.Move(target, previous);
        }

        Directory.Move(staging, target);
        if (previous is not null)
        {
            Directory.Delete(previous, recursive: true);
        }
    }

    private static void ReportUnlisted(string source, ModelManifest manifest, TextWriter output)
    {
        var listed = manifest.Files.Select(file => file.Path).Append(ModelManifest.FileName).ToHashSet(StringComparer.Ordinal);
        var unlisted = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(source, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !listed.Contains(path))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unlisted.Count > 0)
        {
            output.WriteLine($"not installed (not in {ModelManifest.FileName}): {string.Join(", ", unlisted)}");
        }
    }
}

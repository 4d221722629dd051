using Appliance.Cli;
using Appliance.Inference.Models;
using Appliance.TestSupport;
using System.CommandLine;

namespace Appliance.Tests.Cli;

public sealed class ModelInstallCommandTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Installs_a_verified_model_under_its_name_and_says_where()
    {
        using var work = new TempDirectory("model-install");
        var source = CopyModel(work, "tiny-llama");
        var models = work.Combine("models");

        var run = await InstallAsync(source, "--models-dir", models);

        var installed = Path.Combine(models, "tiny-llama");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains($"installed {installed}\n", run.Output, StringComparison.Ordinal);
        var opened = ModelDirectory.Open(installed, verifyHashes: true);
        Assert.Equal(Path.Combine(installed, "model.onnx"), opened.DecoderPath);
        foreach (var file in Directory.EnumerateFiles(installed, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                File.GetUnixFileMode(file));
        }

        // Nothing staged is left behind.
        Assert.Equal([installed], Directory.GetDirectories(models));
    }

    [Fact]
    public async Task An_installed_model_is_replaced_only_with_force()
    {
        using var work = new TempDirectory("model-install");
        var source = CopyModel(work, "tiny");
        var models = work.Combine("models");
        await InstallAsync(source, "--models-dir", models);
        var stale = Path.Combine(models, "tiny", "stale.txt");
        File.WriteAllText(stale, "from the old install");

        var refused = await InstallAsync(source, "--models-dir", models);
        var forced = await InstallAsync(source, "--models-dir", models, "--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"error: {Path.Combine(models, "tiny")} already exists; pass --force to replace it.\n", refused.Error);
        Assert.Equal(0, forced.ExitCode);
        Assert.False(File.Exists(stale));
        Assert.Equal([Path.Combine(models, "tiny")], Directory.GetDirectories(models));
    }

    [Fact]
    public async Task A_tampered_model_is_refused_naming_the_file_and_nothing_is_installed()
    {
        using var work = new TempDirectory("model-install");
        var source = CopyModel(work, "tampered");
        var tokenizer = Path.Combine(source, "tokenizer.json");
        File.WriteAllText(tokenizer, File.ReadAllText(tokenizer).Replace("\"model\"", "\"modeL\"", StringComparison.Ordinal));
        var models = work.Combine("models");

        var run = await InstallAsync(source, "--models-dir", models);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: {tokenizer}", run.Error, StringComparison.Ordinal);
        Assert.Contains("SHA-256", run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(models));
    }

    [Fact]
    public async Task Files_the_manifest_does_not_list_are_left_out_and_named()
    {
        using var work = new TempDirectory("model-install");
        var source = CopyModel(work, "extra");
        File.WriteAllText(Path.Combine(source, "notes.txt"), "not part of the model");
        var models = work.Combine("models");

        var run = await InstallAsync(source, "--models-dir", models, "--name", "renamed");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("not installed (not in manifest.json): notes.txt\n", run.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(models, "renamed", "notes.txt")));
        Assert.True(File.Exists(Path.Combine(models, "renamed", "manifest.json")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    public async Task A_name_that_is_not_one_plain_directory_name_is_refused(string name)
    {
        using var work = new TempDirectory("model-install");
        var source = CopyModel(work, "model");

        var run = await InstallAsync(source, "--models-dir", work.Combine("models"), "--name", name);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: model name '{name}' must be letters, digits, '.', '_' or '-' and not start with '.' (give one with --name).\n", run.Error);
    }

    [Fact]
    public async Task A_model_without_a_manifest_is_refused()
    {
        using var work = new TempDirectory("model-install");
        var source = CopyModel(work, "unvouched");
        File.Delete(Path.Combine(source, "manifest.json"));

        var run = await InstallAsync(source, "--models-dir", work.Combine("models"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {source}: no manifest.json, so nothing vouches for its files; `quantize convert` writes one.\n", run.Error);
    }

    private string CopyModel(TempDirectory work, string name)
    {
        var copy = work.Combine(name);
        foreach (var file in Directory.EnumerateFiles(model.ModelPath, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(model.ModelPath, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    private static async Task<CliRun> InstallAsync(params string[] args)
    {
        var root = new RootCommand("appliance") { ModelInstallCommand.CreateModelCommand() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CommandLineRunner.InvokeAsync(root, ["model", "install", .. args], output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}

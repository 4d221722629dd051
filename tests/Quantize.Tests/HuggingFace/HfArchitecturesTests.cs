using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.HuggingFace;

/// <summary>The per-architecture table: one row per architecture, read the same way by synth and the config reader.</summary>
public sealed class HfArchitecturesTests
{
    [Fact]
    public void Every_architecture_has_one_row_found_by_its_class_name()
    {
        Assert.Equal(Enum.GetValues<HfArchitecture>(), HfArchitectures.All);
        foreach (var architecture in HfArchitectures.All)
        {
            var profile = HfArchitectures.Profile(architecture);
            Assert.Equal(architecture, profile.Architecture);
            Assert.True(HfArchitectures.TryFromClassName(profile.ClassName, out var found));
            Assert.Equal(architecture, found);
        }

        Assert.False(HfArchitectures.TryFromClassName("MistralForCausalLM", out _));
        Assert.Equal("LlamaForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM", HfArchitectures.SupportedClassNames);
    }

    [Theory]
    [InlineData(HfArchitecture.Llama)]
    [InlineData(HfArchitecture.Qwen2)]
    [InlineData(HfArchitecture.Qwen3)]
    public void A_config_synth_writes_reads_back_with_the_row_s_flags(HfArchitecture architecture)
    {
        using var directory = new TempDirectory("hf-architectures");
        var shape = SyntheticShapes.All.First(s => s.Config.Architecture == architecture);
        var path = directory.Combine(HfModelConfig.FileName);
        HfConfigJsonWriter.Write(path, shape.Config with { AttentionBias = true }, "test");

        var read = HfModelConfig.Load(path);
        var profile = HfArchitectures.Profile(architecture);

        Assert.Equal(architecture, read.Architecture);
        Assert.Equal(profile.ClassName, read.ArchitectureName);
        Assert.Equal(profile.QueryKeyNorm, read.HasQueryKeyNorm);
        Assert.Equal(profile.OutputProjectionBias, read.OutputProjectionBias);
        Assert.True(read.AttentionBias);
    }
}

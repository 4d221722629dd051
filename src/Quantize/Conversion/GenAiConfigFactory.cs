using Appliance.Inference.Models;
using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Conversion;

/// <summary>Builds the genai_config.json that tells the generator how to drive the converted decoder graph.</summary>
internal static class GenAiConfigFactory
{
    public static GenAiConfig Create(HfModelConfig config, GenerationDefaults generation, int contextLength, string modelFileName)
    {
        var eos = config.EosTokenIds.Concat(generation.EosTokenIds).Distinct().ToArray();
        if (eos.Length == 0)
        {
            throw new ConversionException(
                $"Neither {HfModelConfig.FileName} nor {GenerationDefaults.FileName} has eos_token_id; the generator needs a stop token.");
        }

        var search = new GenAiSearch
        {
            MaxLength = contextLength,
            PastPresentShareBuffer = true,
        };
        search.DoSample = generation.DoSample ?? search.DoSample;
        search.Temperature = generation.Temperature ?? search.Temperature;
        search.TopK = generation.TopK ?? search.TopK;
        search.TopP = generation.TopP ?? search.TopP;

        return new GenAiConfig
        {
            Model = new GenAiModel
            {
                // Some checkpoints name no BOS token (their tokenizer never adds one); the first stop id is
                // the conventional stand-in, as for the pad token.
                BosTokenId = config.BosTokenId ?? generation.BosTokenId ?? eos[0],
                ContextLength = contextLength,
                EosTokenId = eos,
                PadTokenId = config.PadTokenId ?? generation.PadTokenId ?? eos[0],
                Type = config.Profile.ModelType,
                VocabSize = config.VocabSize,
                Decoder = new GenAiDecoder
                {
                    Filename = modelFileName,
                    HeadSize = config.HeadDim,
                    HiddenSize = config.HiddenSize,
                    NumAttentionHeads = config.NumAttentionHeads,
                    NumHiddenLayers = config.NumHiddenLayers,
                    NumKeyValueHeads = config.NumKeyValueHeads,
                    Inputs = new GenAiDecoderInputs
                    {
                        InputIds = DecoderGraphNames.InputIds,
                        AttentionMask = DecoderGraphNames.AttentionMask,
                        PastKeyNames = DecoderGraphNames.PastKeyPattern,
                        PastValueNames = DecoderGraphNames.PastValuePattern,
                    },
                    Outputs = new GenAiDecoderOutputs
                    {
                        Logits = DecoderGraphNames.Logits,
                        PresentKeyNames = DecoderGraphNames.PresentKeyPattern,
                        PresentValueNames = DecoderGraphNames.PresentValuePattern,
                    },
                },
            },
            Search = search,
        };
    }
}

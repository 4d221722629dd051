using Appliance.Inference.Models;
using Appliance.Inference.Runtime;
using Appliance.Quantize.Onnx;

namespace Appliance.Inference.Tests.Generation;

/// <summary>
/// A tiny decoder with random weights laid out like contract E (GroupQueryAttention with rotary, past/present KV,
/// seqlens_k and total_sequence_length derived from attention_mask), so the generator's loop can be tested apart
/// from the converter. <see cref="FollowerStrength"/> adds a large logit to token (last_input + 1) mod vocab, which
/// makes greedy output a predictable count; 0 leaves the logits to the attention layers alone.
/// </summary>
internal sealed record ToyDecoder
{
    public int VocabSize { get; init; } = 16;
    public int HiddenSize { get; init; } = 32;
    public int NumHeads { get; init; } = 2;
    public int NumKvHeads { get; init; } = 1;
    public int HeadSize { get; init; } = 16; // GroupQueryAttention on CPU needs a multiple of 16
    public int Layers { get; init; } = 2;
    public int MaxLength { get; init; } = 48;
    public bool ShareBuffer { get; init; } = true;
    public bool AllLogits { get; init; }

    /// <summary>Adds a position_ids input; the logit of token 0 is raised by the last position id, so positions are observable.</summary>
    public bool PositionIds { get; init; }
    public float FollowerStrength { get; init; }
    public int[] EosTokenIds { get; init; } = [15];
    public int Seed { get; init; } = 7;

    public GenAiConfig Config() => new()
    {
        Model = new GenAiModel
        {
            BosTokenId = 0,
            ContextLength = MaxLength,
            EosTokenId = EosTokenIds,
            Type = "llama",
            VocabSize = VocabSize,
            Decoder = new GenAiDecoder
            {
                Inputs = new GenAiDecoderInputs { PositionIds = PositionIds ? "position_ids" : null },
                Filename = "model.onnx",
                HeadSize = HeadSize,
                HiddenSize = HiddenSize,
                NumAttentionHeads = NumHeads,
                NumHiddenLayers = Layers,
                NumKeyValueHeads = NumKvHeads,
            },
        },
        Search = new GenAiSearch { MaxLength = MaxLength, PastPresentShareBuffer = ShareBuffer },
    };

    /// <summary>Writes genai_config.json, model.onnx and model.onnx.data into <paramref name="directory"/>.</summary>
    public void Write(string directory)
    {
        Config().Save(Path.Combine(directory, GenAiConfig.FileName));
        var random = new Random(Seed);
        using var writer = new OnnxModelWriter(Path.Combine(directory, "model.onnx"), "model.onnx.data");
        writer.AddInput("input_ids", OnnxElementType.Int64, "batch_size", "sequence_length");
        writer.AddInput("attention_mask", OnnxElementType.Int64, "batch_size", "total_sequence_length");
        if (PositionIds)
        {
            writer.AddInput("position_ids", OnnxElementType.Int64, "batch_size", "sequence_length");
        }
        for (var layer = 0; layer < Layers; layer++)
        {
            foreach (var kind in new[] { "key", "value" })
            {
                writer.AddInput($"past_key_values.{layer}.{kind}", OnnxElementType.Float, "batch_size", NumKvHeads, "past_sequence_length", HeadSize);
            }
        }

        writer.AddOutput("logits", OnnxElementType.Float, "batch_size", AllLogits ? "sequence_length" : 1, VocabSize);
        for (var layer = 0; layer < Layers; layer++)
        {
            foreach (var kind in new[] { "key", "value" })
            {
                writer.AddOutput($"present.{layer}.{kind}", OnnxElementType.Float, "batch_size", NumKvHeads, "present_sequence_length", HeadSize);
            }
        }

        // seqlens_k = sum(attention_mask) - 1 and total_sequence_length = attention_mask.shape[1], both int32.
        writer.AddNode("ReduceSum", ["attention_mask", writer.AddInitializer("axis_one", [1], [1L])], ["mask_sum"], attributes: OnnxAttribute.Int("keepdims", 0));
        writer.AddNode("Sub", ["mask_sum", writer.AddInitializer("one", [1], [1L])], ["seqlens_k_64"]);
        writer.AddNode("Cast", ["seqlens_k_64"], ["seqlens_k"], attributes: OnnxAttribute.Int("to", (long)OnnxElementType.Int32));
        writer.AddNode("Shape", ["attention_mask"], ["mask_shape"]);
        writer.AddNode("Gather", ["mask_shape", writer.AddInitializer("index_one", [], [1L])], ["total_64"], attributes: OnnxAttribute.Int("axis", 0));
        writer.AddNode("Cast", ["total_64"], ["total_sequence_length"], attributes: OnnxAttribute.Int("to", (long)OnnxElementType.Int32));
        AddRotaryCaches(writer);

        writer.AddNode("Gather", [Weight(writer, random, "embed", VocabSize, HiddenSize, 1f), "input_ids"], ["x0"]);
        var x = "x0";
        for (var layer = 0; layer < Layers; layer++)
        {
            var q = $"l{layer}.q";
            var k = $"l{layer}.k";
            var v = $"l{layer}.v";
            writer.AddNode("MatMul", [x, Weight(writer, random, $"l{layer}.wq", HiddenSize, NumHeads * HeadSize, 0.5f)], [q]);
            writer.AddNode("MatMul", [x, Weight(writer, random, $"l{layer}.wk", HiddenSize, NumKvHeads * HeadSize, 0.5f)], [k]);
            writer.AddNode("MatMul", [x, Weight(writer, random, $"l{layer}.wv", HiddenSize, NumKvHeads * HeadSize, 0.5f)], [v]);
            writer.AddNode(
                "GroupQueryAttention",
                [q, k, v, $"past_key_values.{layer}.key", $"past_key_values.{layer}.value", "seqlens_k", "total_sequence_length", "cos_cache", "sin_cache"],
                [$"l{layer}.attn", $"present.{layer}.key", $"present.{layer}.value"],
                domain: "com.microsoft",
                attributes: [OnnxAttribute.Int("num_heads", NumHeads), OnnxAttribute.Int("kv_num_heads", NumKvHeads), OnnxAttribute.Int("do_rotary", 1)]);
            writer.AddNode("MatMul", [$"l{layer}.attn", Weight(writer, random, $"l{layer}.wo", NumHeads * HeadSize, HiddenSize, 0.5f)], [$"l{layer}.o"]);
            writer.AddNode("Add", [x, $"l{layer}.o"], [$"x{layer + 1}"]);
            x = $"x{layer + 1}";
        }

        var hidden = x;
        var ids = "input_ids";
        var positions = "position_ids";
        if (!AllLogits)
        {
            var starts = writer.AddInitializer("last_start", [1], [-1L]);
            var ends = writer.AddInitializer("last_end", [1], [long.MaxValue]);
            var axes = writer.AddInitializer("sequence_axis", [1], [1L]);
            writer.AddNode("Slice", [x, starts, ends, axes], ["last_hidden"]);
            writer.AddNode("Slice", ["input_ids", starts, ends, axes], ["last_ids"]);
            hidden = "last_hidden";
            ids = "last_ids";
            if (PositionIds)
            {
                writer.AddNode("Slice", ["position_ids", starts, ends, axes], ["last_positions"]);
                positions = "last_positions";
            }
        }

        writer.AddNode("MatMul", [hidden, Weight(writer, random, "lm_head", HiddenSize, VocabSize, 0.2f)], ["attention_logits"]);
        var content = "attention_logits";
        if (FollowerStrength != 0)
        {
            // A [vocab, vocab] table: only for small vocabularies, so large ones (real tokenizers') skip it at strength 0.
            writer.AddNode("Gather", [FollowerTable(writer), ids], ["follower_logits"]);
            writer.AddNode("Add", ["attention_logits", "follower_logits"], ["content_logits"]);
            content = "content_logits";
        }

        if (PositionIds)
        {
            // logits[..., 0] += position: [1, n] -> float [1, n, 1] times the one-hot row [V].
            writer.AddNode("Cast", [positions], ["positions_float"], attributes: OnnxAttribute.Int("to", (long)OnnxElementType.Float));
            writer.AddNode("Unsqueeze", ["positions_float", writer.AddInitializer("last_axis", [1], [2L])], ["positions_column"]);
            var firstToken = new float[VocabSize];
            firstToken[0] = 1;
            writer.AddNode("Mul", ["positions_column", writer.AddInitializer("first_token", [VocabSize], firstToken)], ["position_logits"]);
            writer.AddNode("Add", [content, "position_logits"], ["logits"]);
        }
        else
        {
            writer.AddNode("Identity", [content], ["logits"]);
        }

        writer.Save();
    }

    private static string Weight(OnnxModelWriter writer, Random random, string name, int rows, int columns, float scale)
    {
        var values = new float[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }

        return writer.AddInitializer(name, [rows, columns], values);
    }

    private string FollowerTable(OnnxModelWriter writer)
    {
        var table = new float[VocabSize * VocabSize];
        for (var token = 0; token < VocabSize; token++)
        {
            table[(token * VocabSize) + ((token + 1) % VocabSize)] = FollowerStrength;
        }

        return writer.AddInitializer("follower", [VocabSize, VocabSize], table);
    }

    private void AddRotaryCaches(OnnxModelWriter writer)
    {
        var half = HeadSize / 2;
        var cos = new float[MaxLength * half];
        var sin = new float[MaxLength * half];
        for (var position = 0; position < MaxLength; position++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = position * Math.Pow(10000, -2.0 * i / HeadSize);
                cos[(position * half) + i] = (float)Math.Cos(angle);
                sin[(position * half) + i] = (float)Math.Sin(angle);
            }
        }

        writer.AddInitializer("cos_cache", [MaxLength, half], cos);
        writer.AddInitializer("sin_cache", [MaxLength, half], sin);
    }
}

using Appliance.Inference.Runtime;

namespace Appliance.Inference.Generation;

/// <summary>
/// The decoder's key/value cache in ONNX Runtime-visible native buffers, bound through the session's <see cref="StepBinding"/>.
/// Shared mode (genai_config search.past_present_share_buffer): past and present of a layer are one
/// [1, kv_heads, capacity, head_size] buffer bound once; the attention kernel writes new positions in place, so a
/// step copies nothing. Separate mode: two buffers per tensor take turns being past ([1, kv, L, head]) and present
/// ([1, kv, L + n, head]); present's layout is exactly next step's past, so feeding it back copies nothing either.
/// </summary>
internal sealed class KvCache : IDisposable
{
    private readonly BoundName[] _pastNames;
    private readonly BoundName[] _presentNames;
    private readonly NativeTensor[] _front;   // past in this step (shared mode: past and present)
    private readonly NativeTensor[]? _back;   // present in this step (separate mode only)
    private readonly long _kvHeads;
    private readonly long _headSize;
    private bool _sharedBound;

    public KvCache(DecoderSignature signature, int kvHeads, int headSize, int capacity, bool shareBuffer)
    {
        var layers = signature.Layers;
        _kvHeads = kvHeads;
        _headSize = headSize;
        var tensors = layers.Count * 2;
        _pastNames = new BoundName[tensors];
        _presentNames = new BoundName[tensors];
        for (var layer = 0; layer < layers.Count; layer++)
        {
            _pastNames[2 * layer] = new BoundName(layers[layer].PastKey);
            _pastNames[(2 * layer) + 1] = new BoundName(layers[layer].PastValue);
            _presentNames[2 * layer] = new BoundName(layers[layer].PresentKey);
            _presentNames[(2 * layer) + 1] = new BoundName(layers[layer].PresentValue);
        }

        ElementSize = OnnxElementTypes.SizeOf(signature.KvType);
        var bufferBytes = kvHeads * (long)capacity * headSize * ElementSize;
        Span<long> shape = [1, kvHeads, shareBuffer ? capacity : 0, headSize];
        _front = Allocate(tensors, signature.KvType, bufferBytes, shape);
        _back = shareBuffer ? null : Allocate(tensors, signature.KvType, bufferBytes, shape);
        AllocatedBytes = bufferBytes * tensors * (shareBuffer ? 1 : 2);
    }

    public bool SharesBuffer => _back is null;

    public int ElementSize { get; }

    /// <summary>Native bytes reserved for the cache (address space; see <see cref="ResidentBytes"/>).</summary>
    public long AllocatedBytes { get; }

    /// <summary>Bytes of the cache in RAM now: pages of the positions written so far, never released by a truncation.</summary>
    public long ResidentBytes => _front.Sum(tensor => tensor.ResidentBytes) + (_back?.Sum(tensor => tensor.ResidentBytes) ?? 0);

    /// <summary>Bytes of keys and values one cached position occupies across all layers.</summary>
    public long BytesPerPosition => _pastNames.Length * _kvHeads * _headSize * ElementSize;

    /// <summary>
    /// Another cache was bound in between (prefix cache slots): shared mode binds its buffers again at the next step.
    /// </summary>
    public void Unbind() => _sharedBound = false;

    /// <summary>
    /// Keeps the first <paramref name="length"/> of <paramref name="pastLength"/> cached positions. Shared mode stores
    /// position p of every head at a fixed offset, so nothing moves; separate mode packs heads at a stride of the
    /// sequence length, so heads after the first move down to the shorter stride.
    /// </summary>
    public unsafe void Truncate(int pastLength, int length)
    {
        if (_back is null || length == pastLength)
        {
            return;
        }

        var rowBytes = _headSize * ElementSize;
        foreach (var tensor in _front)
        {
            var data = (byte*)tensor.Data;
            for (var head = 1L; head < _kvHeads; head++)
            {
                // Destinations lie below sources and heads go upward, so no head is overwritten before it moved.
                Buffer.MemoryCopy(data + (head * pastLength * rowBytes), data + (head * length * rowBytes), length * rowBytes, length * rowBytes);
            }
        }
    }

    /// <summary>Binds past inputs and present outputs for a step appending <paramref name="newTokens"/> to <paramref name="pastLength"/>.</summary>
    public void Bind(StepBinding binding, int pastLength, int newTokens)
    {
        if (_back is null)
        {
            if (!_sharedBound)
            {
                for (var i = 0; i < _front.Length; i++)
                {
                    binding.BindInput(_pastNames[i], _front[i]);
                    binding.BindOutput(_presentNames[i], _front[i]);
                }

                _sharedBound = true;
            }

            return;
        }

        Span<long> past = [1, _kvHeads, pastLength, _headSize];
        Span<long> present = [1, _kvHeads, pastLength + newTokens, _headSize];
        for (var i = 0; i < _front.Length; i++)
        {
            _front[i].Reshape(past);
            _back[i].Reshape(present);
            binding.BindInput(_pastNames[i], _front[i]);
            binding.BindOutput(_presentNames[i], _back[i]);
        }
    }

    /// <summary>After a successful step: in separate mode this step's present becomes the next step's past.</summary>
    public void Advance()
    {
        if (_back is null)
        {
            return;
        }

        for (var i = 0; i < _front.Length; i++)
        {
            (_front[i], _back[i]) = (_back[i], _front[i]);
        }
    }

    public void Dispose()
    {
        foreach (var slot in _front)
        {
            slot.Dispose();
        }

        foreach (var slot in _back ?? [])
        {
            slot.Dispose();
        }
    }

    private static NativeTensor[] Allocate(int count, OnnxElementType type, long bytes, ReadOnlySpan<long> shape)
    {
        var slots = new NativeTensor[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                slots[i] = new NativeTensor(type, bytes, shape);
            }
        }
        catch
        {
            foreach (var slot in slots)
            {
                slot?.Dispose();
            }

            throw;
        }

        return slots;
    }
}
